package io.claimgate.model;

/**
 * A setting that cannot work, named so that the operator can find and fix it. The key and the problem are kept
 * apart: a reader that knows where a block sits in the file places the key with {@link #under(String)} instead of
 * cutting the message apart.
 */
public final class SettingsException extends IllegalArgumentException {

    private final String key;
    private final String problem;

    public SettingsException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    private SettingsException(String key, String problem, SettingsException cause) {
        this(key, problem);
        initCause(cause);
    }

    /** The offending setting's name, as the operator wrote it. */
    public String key() {
        return key;
    }

    /** What is wrong with it, without the key. */
    public String problem() {
        return problem;
    }

    /** The same problem, its key placed inside {@code section} (e.g. {@code general_settings}). */
    public SettingsException under(String section) {
        return new SettingsException(section + "." + key, problem, this);
    }
}
