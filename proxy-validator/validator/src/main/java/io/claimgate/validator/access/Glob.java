package io.claimgate.validator.access;

import java.util.regex.Pattern;

/**
 * A shell-style pattern with Python's {@code fnmatch} semantics, as {@code jwt_litellm_role_map} uses:
 * {@code *} any run of characters, {@code ?} one character, {@code [abc]} / {@code [a-z]} one of a set,
 * {@code [!abc]} one not in it; everything else literal and case-sensitive.
 */
final class Glob {

    private final String source;
    private final Pattern pattern;

    private Glob(String source) {
        this.source = source;
        this.pattern = Pattern.compile(translate(source), Pattern.DOTALL);
    }

    static Glob compile(String glob) {
        return new Glob(glob);
    }

    boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }

    String source() {
        return source;
    }

    /** Python's {@code fnmatch.translate}, written for {@link Pattern}. */
    static String translate(String glob) {
        StringBuilder out = new StringBuilder();
        int n = glob.length();
        int i = 0;
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                out.append(".*");
            } else if (c == '?') {
                out.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    out.append("\\[");
                } else {
                    out.append(characterClass(glob.substring(i, j)));
                    i = j + 1;
                }
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    private static String characterClass(String body) {
        StringBuilder out = new StringBuilder("[");
        int start = 0;
        if (body.startsWith("!")) {
            out.append('^');
            start = 1;
        } else if (body.startsWith("^")) {
            out.append("\\^");
            start = 1;
        }
        for (int k = start; k < body.length(); k++) {
            char c = body.charAt(k);
            // Characters with a meaning inside a Java class (but not in Python's) are taken literally.
            if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append(']').toString();
    }
}
