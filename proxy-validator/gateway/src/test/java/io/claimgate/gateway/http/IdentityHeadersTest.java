package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who is calling, told to the proxy behind the gateway: only what is known, and nothing that could split a header. */
class IdentityHeadersTest {

    @Test
    void namesEveryKnownPartOfTheCallerInAStableOrder() {
        // given
        AuthResult caller = new AuthResult(false, ProxyRole.TEAM, "research", null, "alice", null,
                "alice@example.com", "acme", null, "customer-7", null, "hash", 0L);

        // when / then
        assertThat(IdentityHeaders.of(caller)).containsExactly(
                entry(IdentityHeaders.USER, "alice"), entry(IdentityHeaders.EMAIL, "alice@example.com"),
                entry(IdentityHeaders.TEAM, "research"), entry(IdentityHeaders.ROLE, "team"),
                entry(IdentityHeaders.ORG, "acme"), entry(IdentityHeaders.END_USER, "customer-7"));
    }

    @Test
    void leavesOutWhatIsNotKnownOrEmpty() {
        // given
        AuthResult caller = new AuthResult(false, ProxyRole.INTERNAL_USER, null, null, "bob", null, "", null, null,
                null, null, "hash", 0L);

        // when / then
        assertThat(IdentityHeaders.of(caller)).containsOnlyKeys(IdentityHeaders.USER, IdentityHeaders.ROLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice\r\nX-Injected: yes", "alice\nX-Injected: yes", "alice\r", "tab\there", "nul\0",
            "del\u007f", "\u001b[31mred"})
    void neverSendsAValueWithAControlCharacter(String claimed) {
        // given a user id and a team from claims that carry control characters
        AuthResult caller = new AuthResult(false, ProxyRole.TEAM, claimed, null, claimed, null, null, "acme", null,
                null, null, "hash", 0L);

        // when
        Map<String, String> headers = IdentityHeaders.of(caller);

        // then those are left out; the clean ones are still sent
        assertThat(headers).doesNotContainKeys(IdentityHeaders.USER, IdentityHeaders.TEAM)
                .containsEntry(IdentityHeaders.ORG, "acme").containsEntry(IdentityHeaders.ROLE, "team");
    }

    @Test
    void sendsEveryPrintableAsciiValueAsItIs() {
        // given
        AuthResult caller = new AuthResult(false, ProxyRole.TEAM, "team one", null, "o'brien ~!\"#$%&()*+,-./:;<=>?@[]^_`{|}",
                null, "alice+llm@example.com", null, null, null, null, "hash", 0L);

        // when / then
        assertThat(IdentityHeaders.of(caller)).containsEntry(IdentityHeaders.TEAM, "team one")
                .containsEntry(IdentityHeaders.USER, "o'brien ~!\"#$%&()*+,-./:;<=>?@[]^_`{|}")
                .containsEntry(IdentityHeaders.EMAIL, "alice+llm@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u5f20\u4e09", "\u674e\u56db", "Jos\u00e9", "caf\u00e9@example.com", "emoji\ud83d\ude00"})
    void leavesOutAValueTheNextHopWouldReadAsSomethingElse(String claimed) {
        // given: on the wire a character beyond Latin-1 becomes '?' (so 张三 and 李四 would both be "??"), and é a
        // Latin-1 byte that no UTF-8 reader decodes
        AuthResult caller = new AuthResult(false, ProxyRole.TEAM, "research", null, claimed, null, claimed, null,
                null, null, null, "hash", 0L);

        // when / then
        assertThat(IdentityHeaders.of(caller)).doesNotContainKeys(IdentityHeaders.USER, IdentityHeaders.EMAIL)
                .containsEntry(IdentityHeaders.TEAM, "research");
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return Map.entry(name, value);
    }
}
