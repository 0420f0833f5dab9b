package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    /** Python's fnmatch.fnmatchcase, as jwt_litellm_role_map uses it. */
    @Nested
    class Fnmatch {

        @ParameterizedTest
        @CsvSource({
                "user_*, user_manager, true",
                "user_*, user_, true",
                "user_*, use_x, false",
                "team_?, team_1, true",
                "team_?, team_12, false",
                "team_?, team_, false",
                "dev_[123], dev_2, true",
                "dev_[123], dev_4, false",
                "dev_[!123], dev_4, true",
                "dev_[!123], dev_1, false",
                "[a-c]x, bx, true",
                "[a-c]x, dx, false",
                "[a-]x, -x, true",
                "[]]x, ]x, true",
                "[!]]x, ]x, false",
                "[*]x, *x, true",
                "[*]x, ax, false",
                "dev_[, dev_[, true",
                "a.b, axb, false",
                "a\\b, a\\b, true",
                "*, '', true",
                "'', '', true",
                "'', x, false",
                "*a*, bab, true",
                "a*b*c, aXXbYYc, true",
                "a*b*c, aXXbYY, false",
                "ADMIN, admin, false"})
        void matchesAsFnmatchDoes(String pattern, String text, boolean expected) {
            assertThat(Glob.compile(pattern).matches(text)).isEqualTo(expected);
        }

        @Test
        void refusesAReversedRangeWhenCompiled() {
            assertThatThrownBy(() -> Glob.compile("dev_[z-a]")).isInstanceOf(PatternSyntaxException.class);
        }

        @Test
        void neverMatchesAMissingValue() {
            assertThat(Glob.compile("*").matches(null)).isFalse();
        }
    }

    /** LiteLLM's model wildcards: only the star is special. */
    @Nested
    class Stars {

        @ParameterizedTest
        @CsvSource({
                "openai/*, openai/gpt-4o, true",
                "openai/*, openai/, true",
                "openai/*, gpt-4o, false",
                "bedrock/*, bedrockzzzz/x, false",
                "*-mini, gpt-4o-mini, true",
                "*-mini, gpt-4o-mini-2, false",
                "gpt-?, gpt-?, true",
                "gpt-?, gpt-4, false",
                "[ab]*, [ab]c, true",
                "[ab]*, ac, false",
                "**, x, true",
                "a**b, ab, true"})
        void treatsEverythingButTheStarLiterally(String pattern, String text, boolean expected) {
            assertThat(Glob.stars(pattern).matches(text)).isEqualTo(expected);
        }
    }

    /** Role names and model names come from tokens and requests: no input may make the match backtrack. */
    @Nested
    class HostileInput {

        @Test
        void refusesANameBuiltToDefeatABacktrackingMatcher() {
            String name = "a".repeat(5000) + "!";

            assertThat(Glob.stars("a*a*a*a*a*b").matches(name)).isFalse();
            assertThat(Glob.compile("a*a*a*a*a*b").matches(name)).isFalse();
            assertThat(Glob.compile("*?*?*?*?*b").matches(name)).isFalse();
        }

        @Test
        void matchesTheSameLongNameWhenItDoesEndAsThePatternSays() {
            String name = "a".repeat(5000) + "b";

            assertThat(Glob.stars("a*a*a*a*a*b").matches(name)).isTrue();
            assertThat(Glob.compile("*?*?*?*?*b").matches(name)).isTrue();
        }
    }
}
