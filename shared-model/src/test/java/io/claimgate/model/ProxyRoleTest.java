package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyRoleTest {

    @ParameterizedTest
    @CsvSource({
        "proxy_admin, PROXY_ADMIN",
        "proxy_admin_viewer, PROXY_ADMIN_VIEWER",
        "org_admin, ORG_ADMIN",
        "internal_user, INTERNAL_USER",
        "internal_user_viewer, INTERNAL_USER_VIEWER",
        "team, TEAM",
        "customer, CUSTOMER"
    })
    void readsLiteLlmWireValues(String wire, ProxyRole role) {
        assertThat(ProxyRole.fromWireValue(wire)).contains(role);
        assertThat(role.wireValue()).isEqualTo(wire);
        assertThat(role).hasToString(wire);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY_ADMIN", "admin", "", " team", "Team"})
    void refusesAnythingButAnExactWireValue(String wire) {
        assertThat(ProxyRole.fromWireValue(wire)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void readsNoRoleFromNull() {
        assertThat(ProxyRole.fromWireValue(null)).isEmpty();
    }
}
