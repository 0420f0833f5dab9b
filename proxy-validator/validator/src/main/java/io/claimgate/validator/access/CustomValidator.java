package io.claimgate.validator.access;

import io.claimgate.model.SettingsException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * An operator's extra check on a verified token's claims: the Java counterpart of LiteLLM's {@code custom_validate}.
 * A {@code false} answer or any exception refuses the request with 403 {@code Invalid JWT token}.
 */
@FunctionalInterface
public interface CustomValidator {

    /** Whether the token is acceptable; must be thread-safe and quick. */
    boolean isValid(Map<String, Object> claims);

    /**
     * The validator named by {@code litellm_jwtauth.custom_validate}: a public Java class on the class path that
     * implements this interface and has a public no-argument constructor, created once at start.
     *
     * <p>LiteLLM takes a Python function path there ({@code my_module.my_validator}). Claimgate cannot run it, and
     * starting without it would silently drop the operator's check, so any name that is not such a class stops the
     * start.
     *
     * @throws SettingsException naming {@code litellm_jwtauth.custom_validate} when the class cannot be used
     */
    static CustomValidator load(String className) {
        String key = "litellm_jwtauth.custom_validate";
        Class<?> type;
        try {
            type = Class.forName(className, true, CustomValidator.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SettingsException(key, "'" + className + "' is not a Java class on the class path. Claimgate "
                    + "cannot run LiteLLM's Python validators; implement " + CustomValidator.class.getName()
                    + " in Java and name that class here");
        }
        if (!CustomValidator.class.isAssignableFrom(type)) {
            throw new SettingsException(key, "'" + className + "' does not implement "
                    + CustomValidator.class.getName());
        }
        try {
            return (CustomValidator) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new SettingsException(key, "'" + className + "' needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new SettingsException(key, "'" + className + "' failed to start: " + e.getCause());
        }
    }
}
