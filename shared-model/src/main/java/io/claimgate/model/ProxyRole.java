package io.claimgate.model;

import java.util.Optional;

/** The proxy's roles, with LiteLLM's wire values ({@code LitellmUserRoles}). */
public enum ProxyRole {
    PROXY_ADMIN("proxy_admin"),
    PROXY_ADMIN_VIEWER("proxy_admin_viewer"),
    ORG_ADMIN("org_admin"),
    INTERNAL_USER("internal_user"),
    INTERNAL_USER_VIEWER("internal_user_viewer"),
    TEAM("team"),
    CUSTOMER("customer");

    private final String wireValue;

    ProxyRole(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value LiteLLM writes in configs, tables and responses, e.g. {@code proxy_admin}. */
    public String wireValue() {
        return wireValue;
    }

    /** The role with this wire value; accepts LiteLLM's values only, case-sensitively. */
    public static Optional<ProxyRole> fromWireValue(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (ProxyRole role : values()) {
            if (role.wireValue.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
