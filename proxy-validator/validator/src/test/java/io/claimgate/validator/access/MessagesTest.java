package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesTest {

    @Test
    void writesListsAndSetsAsPythonPrintsThem() {
        assertThat(Messages.list(List.of("a", "b"))).isEqualTo("['a', 'b']");
        assertThat(Messages.list(List.of())).isEqualTo("[]");
        assertThat(Messages.set(List.of("a"))).isEqualTo("{'a'}");
        assertThat(Messages.set(List.of())).isEqualTo("set()");
        assertThat(Messages.list(List.of("it's"))).isEqualTo("[\"it's\"]");
    }

    @ParameterizedTest
    @CsvSource({"10.0, 10.0", "0.5, 0.5", "10000000.0, 10000000.0", "0.00001, 1e-05", "1e16, 1e+16",
            "123.456, 123.456", "0.0, 0.0", "-2.5, -2.5"})
    void writesNumbersAsPythonPrintsFloats(double value, String python) {
        assertThat(Messages.number(value)).isEqualTo(python);
    }
}
