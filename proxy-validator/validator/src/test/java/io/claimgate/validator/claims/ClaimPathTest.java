package io.claimgate.validator.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimPathTest {

    private static final Map<String, Object> CLAIMS = Map.of(
            "sub", "u123",
            "user", Map.of("sub", "u456", "email", "user@example.com"),
            "resource_access", Map.of("my-client", Map.of("roles", List.of("admin", "user"))),
            "kubernetes.io", Map.of("namespace", "default"),
            "groups", List.of("team1", "team2"));

    @Nested
    class Parsing {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "sub                             | sub",
                "user.sub                        | user,sub",
                "resource_access.my-client.roles | resource_access,my-client,roles",
                "kubernetes\\.io.namespace       | kubernetes.io,namespace",
                "metadata.user.email             | user,email",
                "a\\.b\\.c                        | a.b.c"})
        void splitsOnUnescapedDotsAndDropsOneMetadataPrefix(String field, String names) {
            assertThat(ClaimPath.compile(field).names()).containsExactly(names.split(","));
        }

        @Test
        void dropsOnlyTheFirstMetadataPrefix() {
            assertThat(ClaimPath.compile("metadata.metadata.x").names()).containsExactly("metadata", "x");
        }

        @Test
        void keepsMetadataWhenItIsTheWholeField() {
            assertThat(ClaimPath.compile("metadata").names()).containsExactly("metadata");
        }

        @Test
        void refusesAnEmptyField() {
            assertThatThrownBy(() -> ClaimPath.compile("")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void remembersTheFieldAsWritten() {
            assertThat(ClaimPath.compile("metadata.user.email").field()).isEqualTo("metadata.user.email");
        }
    }

    @Nested
    class Reading {

        // Mirrors LiteLLM test_nested_jwt_field_access (flat and nested fields).
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "sub                             | u123",
                "user.sub                        | u456",
                "user.email                      | user@example.com",
                "kubernetes\\.io.namespace       | default"})
        void readsFlatNestedAndEscapedNames(String field, String expected) {
            assertThat(ClaimPath.compile(field).read(CLAIMS)).isEqualTo(expected);
        }

        @Test
        void readsListsWhole() {
            assertThat(ClaimPath.compile("resource_access.my-client.roles").read(CLAIMS))
                    .isEqualTo(List.of("admin", "user"));
        }

        // Mirrors LiteLLM test_metadata_prefix_handling_in_nested_fields.
        @Test
        void readsThroughTheMetadataPrefixAsLiteLlmDoes() {
            assertThat(ClaimPath.compile("metadata.user.email").read(CLAIMS)).isEqualTo("user@example.com");
        }

        // Mirrors LiteLLM test_nested_jwt_field_missing_paths.
        @ParameterizedTest
        @CsvSource({"user.name", "missing", "resource_access.other-client.roles", "sub.deeper", "user.email.x"})
        void readsNothingForAMissingPathOrAPathThroughAScalar(String field) {
            assertThat(ClaimPath.compile(field).read(CLAIMS)).isNull();
        }

        @Test
        void doesNotIndexIntoLists() {
            assertThat(ClaimPath.compile("groups.0").read(CLAIMS)).isNull();
        }

        @Test
        void readsAnExplicitNullAsNothingButSeesThatItIsPresent() {
            Map<String, Object> claims = new HashMap<>();
            claims.put("team", null);
            ClaimPath path = ClaimPath.compile("team");

            assertThat(path.read(claims)).isNull();
            assertThat(path.isPresent(claims)).isTrue();
            assertThat(ClaimPath.compile("other").isPresent(claims)).isFalse();
        }
    }
}
