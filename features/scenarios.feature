Feature: The practice scenarios
  The scenario library (knowledge/scenarios/) teaches trainees with the engine's own answers,
  so it is a test suite too: each scenario states the classification, the flags and the key
  recommendations the engine gives for its case, and advice that must not be given. A rule
  change that changes a scenario's answer fails here until the scenario is reviewed — its
  expected answer and learning points updated, or the rule put right.

  Scenario Outline: The engine gives the answer the scenario teaches
    Given the practice scenario "<scenario>"
    When the case is assessed
    Then the classification is the one the scenario expects
    And exactly the flags the scenario expects are raised
    And the scenario's key recommendations are all made
    And nothing the scenario rules out is recommended

    Examples:
      | scenario |
      | age-discovered-child-referral |
      | contract-over-family-stigma |
      | death-abroad-body-home |
      | escape-domestic-work |
      | escaped-trawler-family-home |
      | forced-begging-rescue |
      | grey-area-community-returnee |
      | hotline-still-held |
      | involuntary-repatriation-fisher |
      | jail-fourteen-months |
      | kidnapped-in-country-shelter |
      | no-chance-yet-passport-held |
      | officials-complicit-border |
      | opportunity-to-leave-sexual-violence |
      | opportunity-to-leave-third-country |
      | photos-in-the-press |
      | remains-adaptation |
      | remains-agency-granted |
      | remains-free-agent |
      | remains-subjugation |
      | reprisal-before-prosecution |
      | return-planned-against-wishes |
      | safe-custody-witness |
      | safe-migration-contract-ended |
      | safe-migration-worried-mother |
      | shelter-locked-doors |
      | successful-family-and-community |
      | successful-workplace-integration |
      | third-country-wants-home |
      | thrown-out-drug-dependence |
      | thrown-out-injured-kiln-worker |
      | thrown-out-pregnant-hiv |
      | unclear-returnee-help-desk |
      | unknown-link-forged-papers |
