package io.claimgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.http.HttpError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A team's {@code members_with_roles} and the members a request names. */
class RosterTest {

    private static Map<String, Object> entry(String userId, String email, String role) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("user_id", userId);
        entry.put("user_email", email);
        entry.put("role", role);
        return entry;
    }

    @Test
    void readsLiteLlmsEmptyObjectDefaultAndNullAsAnEmptyRoster() {
        assertThat(Roster.read(Map.of()).json()).isEmpty();
        assertThat(Roster.read(null).json()).isEmpty();
    }

    @Test
    void findsAMemberByUserIdOrByEmailAsLiteLlmsDuplicateCheckDoes() {
        Roster roster = Roster.read(List.of(entry("alice", null, "user"), entry(null, "bob@example.com", "admin")));

        assertThat(roster.contains(new TeamMember("alice", "other@example.com", "user"))).isTrue();
        assertThat(roster.contains(new TeamMember(null, "bob@example.com", "user"))).isTrue();
        assertThat(roster.contains(new TeamMember("carol", null, "user"))).isFalse();
        assertThat(roster.hasUser("alice")).isTrue();
        assertThat(roster.hasUser(null)).isFalse();
    }

    @Test
    void keepsFieldsItDoesNotKnowWhenItChangesARole() {
        Map<String, Object> stored = entry("alice", null, "user");
        stored.put("added_by", "litellm-ui");

        Roster changed = Roster.read(List.of(stored, entry("bob", null, "user")))
                .withRole("alice", "admin", "alice@example.com");

        assertThat(changed.json()).containsExactly(
                Map.of("user_id", "alice", "user_email", "alice@example.com", "role", "admin", "added_by", "litellm-ui"),
                entry("bob", null, "user"));
    }

    @Test
    void removesEveryEntryNamingTheUserAndTellsWhoseTheyWere() {
        Roster roster = Roster.read(List.of(entry("alice", "a@example.com", "user"), entry("bob", null, "user"),
                entry("alice", null, "admin")));

        assertThat(roster.userIds(null, "a@example.com")).containsExactly("alice");
        assertThat(roster.without("alice", null).json()).containsExactly(entry("bob", null, "user"));
        assertThat(roster.userIdByEmail("a@example.com")).contains("alice");
    }

    @Test
    void appendsANewMemberWithLiteLlmsFieldNames() {
        Roster roster = Roster.read(List.of()).with(new TeamMember("alice", null, "admin"));

        assertThat(roster.json()).containsExactly(entry("alice", null, "admin"));
    }

    @Test
    void acceptsARequestedMemberByIdOrEmailWithARoleLiteLlmKnows() {
        assertThat(TeamMember.fromRequest(Map.of("role", "admin", "user_id", "alice"), "member"))
                .isEqualTo(new TeamMember("alice", null, "admin"));
        assertThat(TeamMember.fromRequest(Map.of("role", "user", "user_email", "b@example.com"), "member"))
                .isEqualTo(new TeamMember(null, "b@example.com", "user"));
    }

    @Test
    void refusesARequestedMemberWithoutUserOrWithAnUnknownRole() {
        assertThatThrownBy(() -> TeamMember.fromRequest(Map.of("role", "user"), "member"))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.param()).isEqualTo("member"));
        assertThatThrownBy(() -> TeamMember.fromRequest(Map.of("role", "owner", "user_id", "a"), "member"))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.param()).isEqualTo("member.role"));
        assertThatThrownBy(() -> TeamMember.fromRequest(Map.of("user_id", "a"), "member"))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> TeamMember.fromRequest("alice", "member"))
                .isInstanceOf(HttpError.class);
    }
}
