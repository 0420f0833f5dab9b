package io.claimgate.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The front proxies ({@code gateway.trusted_proxies}, CIDRs) whose {@code X-Forwarded-For} is believed. Anyone else's
 * is a claim the caller made up, so the gateway replaces it with the address it sees: an upstream that rate-limits or
 * logs by client address must not be told a chosen one.
 */
public final class TrustedProxies {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param cidrs such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or {@code fd00::/8}; literal addresses only, never
     *              host names (no DNS lookups)
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(block(cidr.trim()));
        }
        return new TrustedProxies(blocks);
    }

    /** Whether the direct peer at this literal address is a trusted proxy; {@code false} for anything unparsable. */
    public boolean trusts(String peerAddress) {
        if (blocks.isEmpty() || peerAddress == null) {
            return false;
        }
        byte[] address = literal(peerAddress.startsWith("[") && peerAddress.endsWith("]")
                ? peerAddress.substring(1, peerAddress.length() - 1) : peerAddress);
        if (address == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code X-Forwarded-For} to send upstream: the caller's list with the peer appended when the peer is a
     * trusted proxy, else the peer alone.
     */
    public String forwardedFor(String callersValue, String peerAddress) {
        if (callersValue != null && !callersValue.isBlank() && trusts(peerAddress)) {
            return callersValue + ", " + peerAddress;
        }
        return peerAddress;
    }

    private static Block block(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] network = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
        }
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
            }
        }
        return new Block(network, prefix);
    }

    /** The address bytes of an IPv4 or IPv6 literal, or {@code null}: never a DNS lookup. */
    private static byte[] literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.'
                || (c >= '0' && c <= '9')))) {
            return null;
        }
        if (text.indexOf(':') >= 0 && !text.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
                || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            // An IPv4-mapped IPv6 peer (::ffff:10.0.0.1) is matched as the IPv4 address it is.
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
