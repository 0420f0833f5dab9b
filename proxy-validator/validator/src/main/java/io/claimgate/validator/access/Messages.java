package io.claimgate.validator.access;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;

/**
 * Writes values the way LiteLLM's Python f-strings print them, so that Claimgate's error messages read exactly like
 * LiteLLM's ({@code ['a', 'b']}, {@code {'a'}}, {@code 10.0}) and clients that match on them keep working.
 */
final class Messages {

    private Messages() {
    }

    /**
     * LiteLLM's client message for every denied model ({@code model_access_denied.py}): it names the model asked for
     * and never the models allowed, which would tell any caller the deployment's model names and who may use which.
     */
    static String modelAccessDenied(String model) {
        return "The requested model '" + model + "' is not available for this API key, or the model name is invalid. "
                + "Check the models available to you and try again.";
    }

    /** A Python list literal: {@code ['gpt-4', 'gpt-4o']}. */
    static String list(Collection<String> values) {
        return join(values, "[", "]");
    }

    /** A Python set literal: {@code {'team-a', 'team-b'}}, or {@code set()} when empty. */
    static String set(Collection<String> values) {
        return values.isEmpty() ? "set()" : join(values, "{", "}");
    }

    /** A Python float: {@code 10.0}, {@code 0.5}, {@code 1e-05}. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }
        double abs = Math.abs(value);
        if (abs == 0 || (abs >= 1e-4 && abs < 1e16)) {
            String plain = new BigDecimal(Double.toString(value)).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String java = Double.toString(value);
        int e = java.indexOf('E');
        String mantissa = java.substring(0, e).replaceAll("\\.0$", "");
        int exponent = Integer.parseInt(java.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    private static String join(Collection<String> values, String open, String close) {
        StringBuilder out = new StringBuilder(open);
        Iterator<String> it = values.iterator();
        while (it.hasNext()) {
            out.append(quote(it.next()));
            if (it.hasNext()) {
                out.append(", ");
            }
        }
        return out.append(close).toString();
    }

    private static String quote(String s) {
        if (s == null) {
            return "None";
        }
        if (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) {
            return '"' + s + '"';
        }
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
