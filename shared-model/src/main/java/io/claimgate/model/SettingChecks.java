package io.claimgate.model;

import java.util.List;

/** The checks the stage settings' constructors share. */
final class SettingChecks {

    private SettingChecks() {
    }

    static void require(boolean condition, String key, String problem) {
        if (!condition) {
            throw new SettingsException(key, problem);
        }
    }

    /** A list of routes, types or roles: present, without empty entries; returned as an immutable copy. */
    static List<String> requireList(List<String> list, String key) {
        require(list != null, key, "must be a list (use [] for none)");
        for (String s : list) {
            require(s != null && !s.isBlank(), key, "must not contain empty entries");
        }
        return List.copyOf(list);
    }
}
