package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    @Test
    void trustsPeersInsideTheConfiguredBlocksOnly() {
        assertThat(proxies.trusts("10.200.3.4")).isTrue();
        assertThat(proxies.trusts("192.168.1.7")).isTrue();
        assertThat(proxies.trusts("fd12::1")).isTrue();
        assertThat(proxies.trusts("[fd12::1]")).isTrue();

        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(proxies.trusts("192.168.1.8")).isFalse();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        assertThat(proxies.trusts("localhost")).isFalse();
        assertThat(proxies.trusts(null)).isFalse();
    }

    @Test
    void keepsTheCallersForwardedForOnlyFromATrustedPeer() {
        assertThat(proxies.forwardedFor("203.0.113.9", "10.1.1.1")).isEqualTo("203.0.113.9, 10.1.1.1");
        assertThat(proxies.forwardedFor("203.0.113.9", "198.51.100.2")).isEqualTo("198.51.100.2");
        assertThat(proxies.forwardedFor(null, "10.1.1.1")).isEqualTo("10.1.1.1");
    }

    @Test
    void trustsNobodyByDefault() {
        assertThat(TrustedProxies.of(List.of()).forwardedFor("203.0.113.9", "10.1.1.1")).isEqualTo("10.1.1.1");
    }

    @Test
    void matchesPrefixesThatEndInsideAByte() {
        TrustedProxies slash20 = TrustedProxies.of(List.of("172.16.16.0/20"));

        assertThat(slash20.trusts("172.16.31.255")).isTrue();
        assertThat(slash20.trusts("172.16.32.0")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "proxy.internal", "", "::/129"})
    void refusesWhatIsNotAnAddressOrBlockWithoutLookingItUp(String cidr) {
        assertThatThrownBy(() -> TrustedProxies.of(List.of(cidr))).isInstanceOf(IllegalArgumentException.class);
    }
}
