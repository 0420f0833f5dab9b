package io.claimgate.gateway.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what Python's {@code urllib.parse.unquote_plus} returns for the same input. */
class UrlEncodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpt-4o|gpt-4o",
        "gpt+4o|gpt 4o",
        "gpt%2B4o|gpt+4o",
        "caf%C3%A9|café",
        "caf%c3%a9|café",
        "100%|100%",
        "%zz|%zz",
        "%4|%4",
        "%E2%82|\uFFFD",
        "a%20b+c|a b c",
    })
    void decodesAsPythonsUnquotePlus(String encoded, String decoded) {
        assertThat(UrlEncoding.unquotePlus(encoded)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"caf\u00C3\u00A9|caf\u00C3\u00A9"})
    void keepsRawBytesAsStarletteReadsThemInIso88591(String latin1, String decoded) {
        // Starlette reads the raw bytes C3 A9 as two ISO-8859-1 characters and unquote leaves them alone.
        assertThat(UrlEncoding.unquotePlus(latin1)).isEqualTo(decoded);
    }
}
