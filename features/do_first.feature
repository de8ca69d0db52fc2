Feature: What to do first
  As a caseworker with ten minutes, I want the few steps that protect the person now at the top,
  before the flags and the rest of the advice, and the organisation's programme work kept apart.

  Scenario: A woman in a shelter she cannot leave, a return she fears, charged, sold by her husband
    Given a case with:
      """
      person: {age: 22, gender: female, origin: "Bangladesh (Satkhira)", destination: India, cross_border: true}
      harm: {status: trafficked, perpetrators: [spouse_partner], sectors: [sex_industry]}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm, wishes: undecided, return_planned: true}
      recovery: {setting: short_term_stay, consent: false, free_movement: false}
      legal: {detained: false, charges: [illegal_entry], charges_linked_to_trafficking: yes, has_legal_support: false, fears_return: true}
      """
    When the case is assessed
    Then "review_repatriation_decision" is the first thing to do
    And "non_refoulement_review" is among the things to do first
    And "non_punishment_defence" is among the things to do first
    And "release_from_immigration_detention" is among the things to do first
    And "family_safety_assessment" is among the things to do first
    And "info_where_to_go" is not among the things to do first
    And "rescue_policy_procedure" is urgent "later"

  Scenario: A charge makes the defence urgent
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {charges: [illegal_entry], charges_linked_to_trafficking: yes}
      """
    When the case is assessed
    Then "non_punishment_defence" is urgent "now"
    And "non_punishment_defence" is among the things to do first

  Scenario: Nothing urgent: nothing to do first
    Given a case with:
      """
      person: {age: 30}
      harm: {status: trafficked}
      exit: {route: escape, health: []}
      location: {current: repatriated_voluntary, wishes: return_home}
      legal: {detained: false, charges: [], fears_reprisal: false, media_exposure: false}
      """
    When the case is assessed
    Then nothing is to be done first

  Scenario: A planned return: her wish and her fear are asked next
    Given a case with:
      """
      person: {age: 30}
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm, return_planned: true}
      """
    When the case is assessed
    Then the question "location.wishes" is asked next
