Feature: The legal advisor's check
  For one person, I need to know whether non-punishment applies and which rights
  obligations are engaged — and, just as often, why something was not flagged and what
  would have to be true for it to be. Unknown is never taken for no.

  Scenario: Non-punishment is engaged for a woman held for illegal entry, the link to her trafficking not yet known
    Given a case with:
      """
      person: {age: 26, gender: female, cross_border: true}
      harm: {status: trafficked, indicators: [documents_withheld, deception]}
      location: {current: jail_remand_home}
      legal:
        detained: true
        charges: [illegal_entry]
      """
    When the legal check is run
    Then the finding "non_punishment" is engaged
    And the finding "non_punishment" cites "ohchr.p7"
    And the finding "non_punishment" cites "coe.art26"
    And the finding "non_punishment" cites "actip.art14_7"
    And the finding "non_punishment" cites "unodc_model_law.art10"
    And the finding "immigration_detention" is engaged
    And the finding "legal_assistance" is engaged

  Scenario: Non-punishment is not engaged when I judged the theft charge unrelated, and the check says what would change that
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: false
        charges: [theft]
        charges_linked_to_trafficking: 'no'
      """
    When the legal check is run
    Then the finding "non_punishment" is not engaged
    When I ask why "non_punishment" was not raised
    Then the rule "rights.non_punishment" does not apply
    And these answers would produce it:
      """
      legal.charges_linked_to_trafficking: 'yes'
      """

  Scenario: I cannot tell yet about non-punishment while nobody has asked whether she is held or charged
    Given a case with:
      """
      harm: {status: trafficked, sectors: [domestic_servitude]}
      exit: {route: escape}
      """
    When the legal check is run
    Then the finding "non_punishment" is cannot tell yet
    And the finding "non_punishment" waits for the answer "legal.detained"
    And the finding "non_punishment" waits for the answer "legal.charges"

  Scenario: Why was reverse trafficking not flagged? Because we do not know yet whether a return is planned
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked}
      location: {current: destination_outside_harm, wishes: stay}
      """
    When I ask why "reverse_trafficking" was not raised
    Then the rule "geography.reverse_trafficking" cannot tell yet
    And these answers would produce it:
      """
      location.return_planned: true
      """

  Scenario: Why was immigration detention not raised? Two answers would have to change, and the engine confirms them
    Given a case with:
      """
      person: {cross_border: false}
      harm: {status: trafficked}
      location: {current: destination_outside_harm}
      recovery: {setting: none}
      legal: {detained: false, charges: [theft]}
      """
    When I ask why "release_from_immigration_detention" was not recommended
    Then the rule "justice.immigration_detention" does not apply
    And these answers would produce it:
      """
      legal.detained: true
      legal.charges: [illegal_entry, theft]
      """

  Scenario: Help that was tied to testifying is challenged, whatever she decides about the case
    Given a case with:
      """
      harm: {status: trafficked}
      recovery: {setting: short_term_stay, consent: true, free_movement: true}
      legal: {assistance_conditional_on_cooperation: true, wants_prosecution: 'no'}
      """
    When the case is assessed
    Then "unconditional_assistance" is recommended because of rule "justice.assistance_tied_to_cooperation"
    And the principle "assistance_not_conditional_on_cooperation" applies
    When the legal check is run
    Then the finding "assistance_not_conditional" is engaged
    And the finding "assistance_not_conditional" cites "coe.art12_6"

  Scenario: He wants the traffickers prosecuted but fears reprisal: safety planning comes before any legal step
    Given a case with:
      """
      harm: {status: trafficked, indicators: [threat_of_reprisals]}
      legal: {wants_prosecution: 'yes'}
      """
    When the case is assessed
    Then the flag "reprisal_risk" is raised
    And "safety_planning" is recommended because of rule "justice.prosecution_despite_reprisal_fear"
    And "protection_before_proceedings" is recommended
    And the principle "safety_before_legal_steps" applies
    When the legal check is run
    Then the finding "retaliation" is engaged

  Scenario: A person abroad who fears return gets legal advice on non-refoulement before any return
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked}
      location: {current: third_country, wishes: undecided}
      legal: {fears_return: true}
      """
    When the legal check is run
    Then the finding "non_refoulement" is engaged
    And the finding "non_refoulement" cites "palermo.art14"
    And the finding "non_refoulement" cites "cat.art3"

  Scenario: Events under the 2012 Act
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2019, wants_prosecution: 'yes'}
      """
    When the legal check is run
    Then the law for the events is "bd.pshta_2012"
    And the finding "compensation" is engaged
    And the finding "compensation" cites "bd.pshta_2012.s28"
    When the case is assessed
    Then "check_current_law" is not recommended

  Scenario: Events in 2025, the year the 2012 Act was reported replaced
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2025}
      """
    When the legal check is run
    Then the law for the events is "bd.pshta_2012"
    And the check says to check the current law
    When the case is assessed
    Then "check_current_law" is recommended because of rule "justice.successor_law"

  Scenario: Events under the Ordinance that replaced the 2012 Act
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2027}
      """
    When the legal check is run
    Then the law for the events is "bd.ordinance_2025"
    And the law "bd.pshta_2012" no longer applies to the events
    And the check says to check the current law

  Scenario: Which law applies waits for the year of the events
    Given a case with:
      """
      harm: {status: trafficked}
      """
    When the case is assessed
    Then the question "legal.events_year" is among the missing

  Scenario: Help that was made to depend on testifying is flagged at once
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {assistance_conditional_on_cooperation: true}
      """
    When the case is assessed
    Then the flag "assistance_conditional" is raised with severity "high"
    And "unconditional_assistance" is recommended because of rule "justice.assistance_tied_to_cooperation"
