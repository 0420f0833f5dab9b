package io.claimgate.validator.access;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * A wildcard pattern matched without a regular expression, so that no name a caller sends can make it backtrack.
 *
 * <p>Two dialects share the one matcher. {@link #compile} is Python's {@code fnmatch}, as {@code jwt_litellm_role_map}
 * uses: {@code *} any run of characters, {@code ?} one character, {@code [abc]} / {@code [a-z]} one of a set,
 * {@code [!abc]} one not in it; everything else literal and case-sensitive. {@link #stars} is LiteLLM's model
 * wildcard: only {@code *} is special, every other character (a {@code .}, a {@code ?}, a {@code [}) is literal.
 *
 * <p>Why it is linear: the {@code *}s cut the pattern into fixed-length pieces. The first piece must sit at the start,
 * the last at the end, and each piece between is taken at its leftmost place after the previous one, which is never
 * worse than any later place (a later match leaves less text for the pieces after it). So no choice is ever undone:
 * the text is scanned once, each position tried against one piece, at most {@code |text| x |pattern|} character
 * tests, where the pattern is the operator's, not the caller's.
 */
final class Glob {

    /** One character of a piece: a literal, {@code ?}, or a bracket class. */
    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }

    private final String source;
    /** The pieces between {@code *}s; {@code pieces.size() - 1} is the number of stars. */
    private final List<CharTest[]> pieces;

    private Glob(String source, List<CharTest[]> pieces) {
        this.source = source;
        this.pieces = pieces;
    }

    /**
     * A pattern with {@code fnmatch} semantics.
     *
     * @throws PatternSyntaxException for a reversed range such as {@code [z-a]}, which can match nothing and is
     *                                surely a typo; thrown at configuration time, never for a request
     */
    static Glob compile(String glob) {
        return new Glob(glob, fnmatchPieces(glob));
    }

    /** A pattern where only {@code *} is special: LiteLLM's model wildcards ({@code openai/*}). */
    static Glob stars(String pattern) {
        List<CharTest[]> pieces = new ArrayList<>();
        int start = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', start)) {
            pieces.add(literal(pattern, start, star));
            start = star + 1;
        }
        pieces.add(literal(pattern, start, pattern.length()));
        return new Glob(pattern, pieces);
    }

    boolean matches(String text) {
        if (text == null) {
            return false;
        }
        CharTest[] first = pieces.get(0);
        if (pieces.size() == 1) {
            return text.length() == first.length && matchesAt(first, text, 0);
        }
        CharTest[] last = pieces.get(pieces.size() - 1);
        int end = text.length() - last.length;
        if (end < first.length || !matchesAt(first, text, 0) || !matchesAt(last, text, end)) {
            return false;
        }
        int position = first.length;
        for (int p = 1; p < pieces.size() - 1; p++) {
            CharTest[] piece = pieces.get(p);
            int found = leftmost(piece, text, position, end);
            if (found < 0) {
                return false;
            }
            position = found + piece.length;
        }
        return true;
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    /** The first index in {@code [from, end - piece.length]} where the piece matches, or -1. */
    private static int leftmost(CharTest[] piece, String text, int from, int end) {
        for (int i = from; i + piece.length <= end; i++) {
            if (matchesAt(piece, text, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesAt(CharTest[] piece, String text, int at) {
        for (int k = 0; k < piece.length; k++) {
            if (!piece[k].test(text.charAt(at + k))) {
                return false;
            }
        }
        return true;
    }

    private static CharTest[] literal(String pattern, int from, int to) {
        CharTest[] piece = new CharTest[to - from];
        for (int i = from; i < to; i++) {
            char expected = pattern.charAt(i);
            piece[i - from] = c -> c == expected;
        }
        return piece;
    }

    /** Python's {@code fnmatch.translate}, read into pieces instead of a regular expression. */
    private static List<CharTest[]> fnmatchPieces(String glob) {
        List<CharTest[]> pieces = new ArrayList<>();
        List<CharTest> piece = new ArrayList<>();
        int n = glob.length();
        int i = 0;
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                pieces.add(piece.toArray(CharTest[]::new));
                piece.clear();
            } else if (c == '?') {
                piece.add(any -> true);
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
                    piece.add(any -> any == '[');
                } else {
                    piece.add(characterClass(glob, i, j));
                    i = j + 1;
                }
            } else {
                piece.add(any -> any == c);
            }
        }
        pieces.add(piece.toArray(CharTest[]::new));
        return pieces;
    }

    /** The class between {@code [} and {@code ]}, {@code glob[from, to)}: {@code !} negates, {@code a-z} is a range. */
    private static CharTest characterClass(String glob, int from, int to) {
        boolean negated = glob.charAt(from) == '!';
        int k = negated ? from + 1 : from;
        StringBuilder singles = new StringBuilder();
        List<char[]> ranges = new ArrayList<>();
        while (k < to) {
            char low = glob.charAt(k);
            if (k + 2 < to && glob.charAt(k + 1) == '-') {
                char high = glob.charAt(k + 2);
                if (high < low) {
                    throw new PatternSyntaxException("Illegal character range", glob, k);
                }
                ranges.add(new char[] {low, high});
                k += 3;
            } else {
                singles.append(low);
                k++;
            }
        }
        String members = singles.toString();
        char[][] spans = ranges.toArray(char[][]::new);
        return c -> {
            boolean in = members.indexOf(c) >= 0;
            for (int r = 0; !in && r < spans.length; r++) {
                in = c >= spans[r][0] && c <= spans[r][1];
            }
            return in != negated;
        };
    }
}
