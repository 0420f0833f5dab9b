package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.Budget;
import io.claimgate.model.Team;
import io.claimgate.model.TeamMembership;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LiteLLM's {@code _check_team_member_budget}, mirroring its test_team_member_budget_check_* cases. */
class MemberBudgetTest {

    private static final Team TEAM = new Team("eng", "Engineering", null, List.of(), 1000.0, 20, false, null);

    private static TeamMembership membership(double spend, Double maxBudget) {
        return new TeamMembership("eng", "alice", spend, new Budget("b-alice", maxBudget, null));
    }

    @Test
    void refusesAMemberWhoseSpendInTheTeamExceedsTheirBudgetWithLiteLlmsMessage() {
        assertThatThrownBy(() -> MemberBudget.verify(TEAM, membership(15, 10.0)))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
                    assertThat(e.reason()).isEqualTo("budget_exceeded");
                    assertThat(e.getMessage()).isEqualTo("Budget has been exceeded! User=alice in Team=eng "
                            + "Current cost: 15.0, Max budget: 10.0");
                });
    }

    @Test
    void refusesAMemberWhoseSpendHasReachedTheirBudgetExactly() {
        // LiteLLM compares with >= here, unlike the team's and the user's budgets.
        assertThatThrownBy(() -> MemberBudget.verify(TEAM, membership(10, 10.0)))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void passesAMemberWithinTheirBudget() {
        assertThatCode(() -> MemberBudget.verify(TEAM, membership(5, 10.0))).doesNotThrowAnyException();
    }

    @Test
    void passesAMemberWhoseBudgetRowSetsNoMaximum() {
        assertThatCode(() -> MemberBudget.verify(TEAM, membership(500, null))).doesNotThrowAnyException();
    }

    @Test
    void passesAMembershipWithoutABudgetRow() {
        assertThatCode(() -> MemberBudget.verify(TEAM, new TeamMembership("eng", "alice", 500, null)))
                .doesNotThrowAnyException();
    }

    @Test
    void passesWithoutAMembershipOrATeam() {
        assertThatCode(() -> MemberBudget.verify(TEAM, null)).doesNotThrowAnyException();
        assertThatCode(() -> MemberBudget.verify(null, membership(15, 10.0))).doesNotThrowAnyException();
    }
}
