package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterKeyAuthenticatorTest {

    private final List<String> delegated = new ArrayList<>();
    private final Authenticator jwt = new Authenticator() {
        @Override
        public Caller identify(String token, String route) {
            delegated.add(token);
            throw AuthException.unauthorized("token_invalid", "Invalid token");
        }

        @Override
        public AuthResult authorize(Caller caller, AuthRequest request) {
            throw new AssertionError("identify never succeeds here");
        }
    };
    private final MasterKeyAuthenticator authenticator = new MasterKeyAuthenticator("sk-1234", jwt);

    @Test
    void acceptsTheMasterKeyAsAProxyAdminOnAnyRoute() {
        AuthResult result = authenticator.authenticate(AuthRequest.of("sk-1234", "/chat/completions", "gpt-4o"));

        assertThat(result.proxyAdmin()).isTrue();
        assertThat(result.role()).isEqualTo(ProxyRole.PROXY_ADMIN);
        assertThat(result.userId()).isEqualTo("default_user_id");
        assertThat(result.tokenHash()).hasSize(64).doesNotContain("sk-1234");
        assertThat(delegated).isEmpty();
    }

    @Test
    void handsEveryOtherBearerToTheJwtAuthenticator() {
        for (String token : new String[] {"sk-123", "sk-12345", "SK-1234", "eyJhbGciOi.x.y"}) {
            assertThatThrownBy(() -> authenticator.authenticate(AuthRequest.of(token, "/team/new", null)))
                    .isInstanceOf(AuthException.class);
        }
        assertThat(delegated).hasSize(4);
    }

    @Test
    void acceptsAMasterKeyThatContainsDotsAsJwtsDo() {
        MasterKeyAuthenticator dotted = new MasterKeyAuthenticator("sk.live.1234", jwt);

        assertThat(dotted.authenticate(AuthRequest.of("sk.live.1234", "/team/new", null)).proxyAdmin()).isTrue();
        assertThatThrownBy(() -> dotted.authenticate(AuthRequest.of("sk.live.1235", "/team/new", null)))
                .isInstanceOf(AuthException.class);
        assertThat(delegated).hasSize(1);
    }

    @Test
    void handsARequestWithoutTokenToTheJwtAuthenticator() {
        assertThatThrownBy(() -> authenticator.authenticate(AuthRequest.of(null, "/team/new", null)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void refusesEveryBearerWhenJwtAuthIsDisabled() {
        assertThatThrownBy(() -> MasterKeyAuthenticator.jwtDisabled()
                .authenticate(AuthRequest.of("eyJ.a.b", "/chat/completions", null)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void refusesABlankMasterKey() {
        assertThatThrownBy(() -> new MasterKeyAuthenticator(" ", jwt)).isInstanceOf(IllegalArgumentException.class);
    }
}
