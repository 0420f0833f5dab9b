package io.claimgate.validator.token;

import com.nimbusds.jose.util.Base64URL;
import io.claimgate.validator.AuthException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A token that passed input hygiene: exactly three segments of canonical base64url, header and signature not empty.
 *
 * <p>Checked by hand in one pass before any decoding, because decoders (nimbus's included) accept padding, the
 * standard alphabet, whitespace or stray bits; such tokens have more than one spelling, which defeats replay caches
 * and hashes keyed by the token, and are never produced by a real issuer.
 */
final class CompactToken {

    /** Base64url value of each ASCII character, or -1 for a character outside the alphabet. */
    private static final byte[] VALUES = alphabet();

    private final byte[] ascii;
    private final int firstDot;
    private final int secondDot;

    private CompactToken(byte[] ascii, int firstDot, int secondDot) {
        this.ascii = ascii;
        this.firstDot = firstDot;
        this.secondDot = secondDot;
    }

    /**
     * Checks the token's shape; the caller has already bounded its length.
     *
     * @throws AuthException 401 {@code malformed_token} for anything but three canonical base64url segments
     */
    static CompactToken parse(String token) {
        int length = token.length();
        int firstDot = -1;
        int secondDot = -1;
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (firstDot < 0) {
                    firstDot = i;
                } else if (secondDot < 0) {
                    secondDot = i;
                } else {
                    throw malformed("token must have exactly three segments");
                }
            } else if (c >= 128 || VALUES[c] < 0) {
                throw malformed("token is not base64url");
            }
        }
        if (secondDot < 0) {
            throw malformed("token must have exactly three segments");
        }
        byte[] ascii = token.getBytes(StandardCharsets.US_ASCII);
        if (firstDot == 0 || secondDot == length - 1) {
            throw malformed("token header or signature is empty");
        }
        requireCanonical(ascii, 0, firstDot);
        requireCanonical(ascii, firstDot + 1, secondDot);
        requireCanonical(ascii, secondDot + 1, length);
        return new CompactToken(ascii, firstDot, secondDot);
    }

    /**
     * Unpadded base64url is canonical when its length is not 1 mod 4 and the bits of the last character that encode
     * no byte are zero (RFC 4648 section 3.5).
     */
    private static void requireCanonical(byte[] ascii, int from, int to) {
        int length = to - from;
        int rest = length % 4;
        if (rest == 1) {
            throw malformed("token segment has an impossible base64url length");
        }
        if (rest == 2 && (VALUES[ascii[to - 1]] & 0x0F) != 0 || rest == 3 && (VALUES[ascii[to - 1]] & 0x03) != 0) {
            throw malformed("token segment is not canonical base64url");
        }
    }

    /** The decoded JOSE header. */
    byte[] header() {
        return decode(0, firstDot);
    }

    /** The decoded payload (may be empty). */
    byte[] payload() {
        return decode(firstDot + 1, secondDot);
    }

    /** The decoded signature. */
    byte[] signature() {
        return decode(secondDot + 1, ascii.length);
    }

    /** The signature segment as sent, for nimbus's verifiers (which decode it themselves). */
    Base64URL signatureSegment() {
        return new Base64URL(new String(ascii, secondDot + 1, ascii.length - secondDot - 1, StandardCharsets.US_ASCII));
    }

    /** The bytes the signature covers: {@code header '.' payload} as sent. */
    byte[] signingInput() {
        return Arrays.copyOf(ascii, secondDot);
    }

    /** The whole token as ASCII bytes, e.g. for hashing. */
    byte[] bytes() {
        return ascii;
    }

    private byte[] decode(int from, int to) {
        return Base64.getUrlDecoder().decode(Arrays.copyOfRange(ascii, from, to));
    }

    private static AuthException malformed(String why) {
        return AuthException.unauthorized(Rejection.MALFORMED_TOKEN, Rejection.message(why));
    }

    private static byte[] alphabet() {
        byte[] values = new byte[128];
        Arrays.fill(values, (byte) -1);
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < chars.length(); i++) {
            values[chars.charAt(i)] = (byte) i;
        }
        return values;
    }
}
