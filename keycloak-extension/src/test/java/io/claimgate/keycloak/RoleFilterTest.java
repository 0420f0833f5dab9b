package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleFilterTest {

    @Test
    void removesKeycloakBuiltInsOfThisRealm() {
        var roles = RoleFilter.roles("default-roles-acme",
                Set.of("offline_access", "uma_authorization", "default-roles-acme", "analyst"), Set.of());

        assertThat(roles).containsExactly("analyst");
    }

    @Test
    void keepsDefaultRolesOfAnotherRealmBecauseItIsAnOrdinaryRoleHere() {
        assertThat(RoleFilter.roles("default-roles-acme", Set.of("default-roles-other"), Set.of()))
                .containsExactly("default-roles-other");
    }

    @Test
    void addsClientRolesSortedWithoutDuplicates() {
        var roles = RoleFilter.roles("default-roles-acme", Set.of("writer", "reader"), Set.of("reader", "model-user"));

        assertThat(roles).isEqualTo(List.of("model-user", "reader", "writer"));
    }

    @Test
    void keepsClientRolesEvenWhenNamedLikeBuiltIns() {
        assertThat(RoleFilter.roles("default-roles-acme", Set.of(), Set.of("offline_access")))
                .containsExactly("offline_access");
    }
}
