package io.claimgate.validator.crypto;

import java.security.Provider;
import java.util.Objects;
import java.util.Optional;

/**
 * The JCA provider that does Claimgate's signature math, and why it was chosen.
 *
 * <p>Hand {@link #provider()} to Claimgate's own verifiers (for nimbus: {@code verifier.getJCAContext()
 * .setProvider(backend.provider().orElse(null))}); it is never installed in the JVM's provider list, so the host
 * application's cryptography is left as it was. An empty provider means the JDK's usual per-algorithm lookup.
 */
public final class SignatureBackend {

    /** Where signatures are verified. */
    public enum Kind {
        /** Amazon Corretto Crypto Provider: AWS-LC through JNI, about twice the JDK's RSA verify rate. */
        CORRETTO("Amazon Corretto Crypto Provider"),
        /** The JDK's installed providers, looked up per algorithm as JCA does by default. */
        JDK("JDK default providers");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Human-readable name, for logs and diagnostics. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;
    private final Provider provider;
    private final String reason;

    private SignatureBackend(Kind kind, Provider provider, String reason) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.provider = provider;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    static SignatureBackend corretto(Provider provider, String reason) {
        return new SignatureBackend(Kind.CORRETTO, Objects.requireNonNull(provider, "provider"), reason);
    }

    static SignatureBackend jdk(String reason) {
        return new SignatureBackend(Kind.JDK, null, reason);
    }

    /** Which implementation verifies signatures. */
    public Kind kind() {
        return kind;
    }

    /** The provider to give verifiers; empty means "let JCA pick from the JDK's installed providers". */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    /** Why this backend was chosen, in words an operator can act on. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind.label() + " (" + reason + ")";
    }
}
