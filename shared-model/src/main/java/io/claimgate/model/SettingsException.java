package io.claimgate.model;

/** A setting that cannot work, named so that the operator can find and fix it. */
public final class SettingsException extends IllegalArgumentException {

    private final String key;

    public SettingsException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The offending setting's name, as the operator wrote it. */
    public String key() {
        return key;
    }
}
