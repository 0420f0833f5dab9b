package io.claimgate.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupCurveTest {

    @Test
    void readsOneFigurePerSecondSeparatedBySpacesOrCommas() {
        // given / when
        WarmupCurve curve = WarmupCurve.parse(" 812.5 1904,2500 ");

        // then
        assertThat(curve.perSecond()).containsExactly(812.5, 1904.0, 2500.0);
    }

    @Test
    void reachingTheFractionInTheFirstSliceCountsAsOneSecond() {
        // given
        WarmupCurve curve = WarmupCurve.parse("900 1000");

        // when / then
        assertThat(curve.secondsToReach(0.8, 1000)).hasValue(1);
    }

    @Test
    void aDipAfterReachingTheFractionDoesNotMoveTheAnswer() {
        // given
        WarmupCurve curve = WarmupCurve.parse("100 850 200 900");

        // when / then
        assertThat(curve.secondsToReach(0.8, 1000)).hasValue(2);
    }

    @Test
    void noSteadyFigureOrNoCurveGivesNoAnswer() {
        // given / when / then
        assertThat(WarmupCurve.parse("500").secondsToReach(0.8, 0)).isEmpty();
        assertThat(WarmupCurve.parse("").secondsToReach(0.8, 1000)).isEmpty();
    }
}
