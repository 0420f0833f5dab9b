package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.Budget;
import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommonChecksTest {

    private static Team team(List<String> models, Double maxBudget, double spend, boolean blocked) {
        return new Team("eng", "Engineering", "org-1", models, maxBudget, spend, blocked, null);
    }

    private static User user(List<String> models, Double maxBudget, double spend) {
        return new User("u1", "u1@example.com", null, null, null, List.of(), models, maxBudget, spend);
    }

    private static Organization org(Double maxBudget, double spend) {
        return new Organization("org-1", "Acme", List.of(), spend, new Budget("b-org", maxBudget, null));
    }

    private static EndUser endUser(Double maxBudget, double spend, boolean blocked) {
        return new EndUser("customer-1", null, spend, blocked, new Budget("b-eu", maxBudget, null));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Team team, User user, Organization org,
                                                                          EndUser endUser, String model, String route,
                                                                          int status, ErrorType type) {
        return assertThatThrownBy(() -> CommonChecks.verify(team, user, org, endUser, model, route))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.type()).isEqualTo(type);
                });
    }

    @Test
    void passesWhenNothingIsLoaded() {
        assertThatCode(() -> CommonChecks.verify(null, null, null, null, "gpt-4", "/chat/completions"))
                .doesNotThrowAnyException();
    }

    @Test
    void passesAHealthyTeamUserOrgAndEndUser() {
        assertThatCode(() -> CommonChecks.verify(team(List.of("gpt-4"), 100.0, 10, false), user(List.of(), 5.0, 1),
                org(100.0, 10), endUser(10.0, 1, false), "gpt-4", "/chat/completions")).doesNotThrowAnyException();
    }

    @Nested
    class TeamChecks {

        @Test
        void refusesABlockedTeamWith403AndLiteLlmsMessage() {
            refused(team(List.of(), null, 0, true), null, null, null, null, "/chat/completions", 403,
                    ErrorType.AUTH_ERROR)
                    .hasMessage("Team=eng is blocked. Update via `/team/unblock` if you're an admin.");
        }

        @Test
        void refusesAModelTheTeamMayNotCallWithLiteLlmsGenericMessageListingNoAllowedModel() {
            refused(team(List.of("gpt-4", "gpt-4o"), null, 0, false), null, null, null, "claude-3",
                    "/chat/completions", 403, ErrorType.TEAM_MODEL_ACCESS_DENIED)
                    .hasMessage("The requested model 'claude-3' is not available for this API key, or the model name "
                            + "is invalid. Check the models available to you and try again.");
        }

        @ParameterizedTest
        @CsvSource({"gpt-4", "openai/gpt-4o"})
        void allowsListedAndWildcardModels(String model) {
            assertThatCode(() -> CommonChecks.verify(team(List.of("gpt-4", "openai/*"), null, 0, false), null, null,
                    null, model, "/chat/completions")).doesNotThrowAnyException();
        }

        @Test
        void refusesATeamOverBudgetWith400() {
            refused(team(List.of(), 10.0, 10.5, false), null, null, null, "gpt-4", "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED)
                    .hasMessage("Budget has been exceeded! Team=eng Current cost: 10.5, Max budget: 10.0");
        }

        @Test
        void allowsATeamExactlyAtItsBudget() {
            assertThatCode(() -> CommonChecks.verify(team(List.of(), 10.0, 10.0, false), null, null, null, "gpt-4",
                    "/chat/completions")).doesNotThrowAnyException();
        }
    }

    @Nested
    class UserChecks {

        @Test
        void refusesAModelTheUserMayNotCallWhenThereIsNoTeam() {
            refused(null, user(List.of("gpt-4"), null, 0), null, null, "claude-3", "/chat/completions", 403,
                    ErrorType.USER_MODEL_ACCESS_DENIED).hasMessage("The requested model 'claude-3' is not available "
                    + "for this API key, or the model name is invalid. Check the models available to you and try again.");
        }

        @Test
        void ignoresTheUsersModelsWhenATeamIsUsed() {
            assertThatCode(() -> CommonChecks.verify(team(List.of(), null, 0, false), user(List.of("gpt-4"), null, 0),
                    null, null, "claude-3", "/chat/completions")).doesNotThrowAnyException();
        }

        @Test
        void refusesEveryModelToAUserWithNoDefaultModels() {
            refused(null, user(List.of("no-default-models"), null, 0), null, null, "gpt-4", "/chat/completions", 403,
                    ErrorType.USER_MODEL_ACCESS_DENIED).hasMessageStartingWith(
                    "User not allowed to access model. No default model access, only team models allowed.");
        }

        @Test
        void refusesAUserOverThePersonalBudgetOnlyWithoutTeam() {
            refused(null, user(List.of(), 5.0, 6), null, null, null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED).hasMessage("ExceededBudget: User=u1 over budget. Spend=6.0, Budget=5.0");
            assertThatCode(() -> CommonChecks.verify(team(List.of(), null, 0, false), user(List.of(), 5.0, 6), null,
                    null, null, "/chat/completions")).doesNotThrowAnyException();
        }

        @Test
        void refusesAUserExactlyAtThePersonalBudgetAsLiteLlmsNewestCheckDoes() {
            refused(null, user(List.of(), 5.0, 5), null, null, null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED).hasMessage("ExceededBudget: User=u1 over budget. Spend=5.0, Budget=5.0");
        }

        @Test
        void allowsAUserUnderThePersonalBudget() {
            assertThatCode(() -> CommonChecks.verify(null, user(List.of(), 5.0, 4.99), null, null, null,
                    "/chat/completions")).doesNotThrowAnyException();
        }
    }

    @Nested
    class OrganizationChecks {

        @ParameterizedTest
        @CsvSource({"100.0, 100.0", "100.0, 150.0", "0.0, 0.0", "0.0, 10.0"})
        void refusesAnOrganizationAtOrOverBudgetAZeroBudgetIncluded(double max, double spend) {
            refused(null, null, org(max, spend), null, null, "/chat/completions", 400, ErrorType.BUDGET_EXCEEDED)
                    .hasMessageStartingWith("Budget has been exceeded! Organization=org-1 Current cost: ");
        }

        @ParameterizedTest
        @CsvSource(nullValues = "none", value = {"none, 10.0", "100.0, 99.0"})
        void allowsAnOrganizationWithoutBudgetOrUnderIt(Double max, double spend) {
            assertThatCode(() -> CommonChecks.verify(null, null, org(max, spend), null, null, "/chat/completions"))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    class EndUserChecks {

        @Test
        void refusesAnEndUserOverBudget() {
            refused(null, null, null, endUser(1.0, 2.0, false), "gpt-4", "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED)
                    .hasMessage("ExceededBudget: End User=customer-1 over budget. Spend=2.0, Budget=1.0");
        }

        @Test
        void letsAnEndUserOverBudgetReachInfoRoutes() {
            assertThatCode(() -> CommonChecks.verify(null, null, null, endUser(1.0, 2.0, false), null, "/key/info"))
                    .doesNotThrowAnyException();
        }

        @Test
        void refusesABlockedEndUserWith403() {
            refused(null, null, null, endUser(null, 0, true), null, "/chat/completions", 403, ErrorType.AUTH_ERROR)
                    .hasMessageStartingWith("End User=customer-1 is blocked.");
        }
    }

    @Nested
    class Order {

        @Test
        void aBlockedTeamIsReportedBeforeItsModels() {
            refused(team(List.of("gpt-4"), 1.0, 5, true), null, null, null, "claude", "/chat/completions", 403,
                    ErrorType.AUTH_ERROR).hasMessageContaining("is blocked");
        }

        @Test
        void modelAccessIsReportedBeforeBudgets() {
            refused(team(List.of("gpt-4"), 1.0, 5, false), null, org(1.0, 5), null, "claude", "/chat/completions",
                    403, ErrorType.TEAM_MODEL_ACCESS_DENIED);
        }

        @Test
        void theTeamBudgetIsReportedBeforeTheOrganizations() {
            refused(team(List.of(), 1.0, 5, false), null, org(1.0, 5), null, null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED).hasMessageContaining("Team=eng");
        }

        @Test
        void theOrganizationBudgetIsReportedBeforeTheUsers() {
            refused(null, user(List.of(), 1.0, 5), org(1.0, 5), null, null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED).hasMessageContaining("Organization=org-1");
        }

        @Test
        void theUserBudgetIsReportedBeforeTheEndUsers() {
            refused(null, user(List.of(), 1.0, 5), null, endUser(1.0, 5, true), null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED).hasMessageContaining("User=u1");
        }

        @Test
        void theEndUserBudgetIsReportedBeforeTheBlock() {
            refused(null, null, null, endUser(1.0, 5, true), null, "/chat/completions", 400,
                    ErrorType.BUDGET_EXCEEDED);
        }
    }
}
