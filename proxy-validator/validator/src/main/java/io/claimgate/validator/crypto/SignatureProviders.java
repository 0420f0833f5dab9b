package io.claimgate.validator.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.claimgate.model.SettingsException;
import java.security.Provider;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses who verifies token signatures: Amazon Corretto Crypto Provider where its native library loads and passes
 * its self-tests, the JDK elsewhere.
 *
 * <p>RSA verification is the one expensive step for a token not seen before, and the JDK's pure-Java RSA reaches
 * about half of what native code does on the same core. The choice is deliberately local: the provider is returned to
 * the caller and never added with {@code Security.addProvider}, because a library must not change the cryptography
 * of the JVM that hosts it.
 *
 * <p>Operators can force the JDK with the system property {@value #PROPERTY}{@code =jdk} (for example to rule the
 * native code out while diagnosing a problem); {@code auto}, the default, prefers the native provider.
 */
public final class SignatureProviders {

    /** System property that selects the backend: {@code auto} (default) or {@code jdk}. */
    public static final String PROPERTY = "claimgate.crypto.provider";

    private static final Logger LOG = LoggerFactory.getLogger(SignatureProviders.class);

    private static SignatureBackend configured;

    private SignatureProviders() {
    }

    /** What the operator asked for. */
    public enum Preference {
        /** The native provider when it works, otherwise the JDK. */
        AUTO,
        /** Always the JDK's own providers. */
        JDK;

        /**
         * Reads the value of {@value SignatureProviders#PROPERTY}; absent or blank means {@link #AUTO}.
         *
         * @throws SettingsException for any other value, so that a typo does not silently pick a backend
         */
        public static Preference parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "auto":
                    return AUTO;
                case "jdk":
                    return JDK;
                default:
                    throw new SettingsException(PROPERTY, "must be 'auto' or 'jdk', was '" + value + "'");
            }
        }
    }

    /**
     * The backend for this JVM, chosen from {@value #PROPERTY} on first use and logged once, so that every
     * verifier in the process agrees and the log says which one is in use and why.
     *
     * @throws SettingsException if the property holds an unknown value
     */
    public static synchronized SignatureBackend configured() {
        if (configured == null) {
            configured = select(Preference.parse(System.getProperty(PROPERTY)));
            LOG.info("Token signatures are verified by {}", configured);
        }
        return configured;
    }

    /** Chooses a backend for {@code preference} without logging or remembering it. */
    public static SignatureBackend select(Preference preference) {
        return select(preference, SignatureProviders::loadCorretto);
    }

    static SignatureBackend select(Preference preference, NativeProviderLoader nativeLoader) {
        Objects.requireNonNull(preference, "preference");
        if (preference == Preference.JDK) {
            return SignatureBackend.jdk("forced by " + PROPERTY + "=jdk");
        }
        try {
            Provider provider = nativeLoader.load();
            return SignatureBackend.corretto(provider,
                    provider.getName() + " " + provider.getVersionStr() + ": native library loaded, self-tests passed");
        } catch (RuntimeException | LinkageError e) {
            return SignatureBackend.jdk("Amazon Corretto Crypto Provider unavailable: " + e.getMessage());
        }
    }

    /** Loads the native provider, or throws with the reason it cannot be used. */
    @FunctionalInterface
    interface NativeProviderLoader {
        Provider load();
    }

    private static Provider loadCorretto() {
        // INSTANCE exists even when the native library fails to load (wrong OS or CPU, noexec temp directory);
        // the failure is reported by getLoadingError() rather than thrown.
        AmazonCorrettoCryptoProvider corretto = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable loadingError = corretto.getLoadingError();
        if (loadingError != null) {
            throw new IllegalStateException("native library did not load: " + loadingError, loadingError);
        }
        // Waits for the provider's known-answer self-tests; a provider that computes wrong answers must not verify.
        corretto.assertHealthy();
        return corretto;
    }
}
