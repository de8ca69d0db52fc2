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

  Scenario: Events in 2025 were still under the 2012 Act
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2025}
      """
    When the legal check is run
    Then the law for the events is "bd.pshta_2012"
    And the law "bd.ordinance_2026" no longer applies to the events
    When the case is assessed
    Then "check_current_law" is not recommended

  Scenario: Events in 2026, the year the law changed: the date decides, and the check asks for it
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2026}
      """
    When the legal check is run
    Then the check asks for the date of the events
    When the case is assessed
    Then "check_current_law" is recommended because of rule "justice.successor_law"

  Scenario: Events after 6 January 2026 are under the Ordinance that replaced the 2012 Act
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {events_year: 2026, events_date: 2026-03-14}
      """
    When the legal check is run
    Then the law for the events is "bd.ordinance_2026"
    And the law "bd.pshta_2012" no longer applies to the events
    And the check says proceedings now follow the Ordinance as far as possible

  Scenario: Held and charged for events in 2024: non-punishment under the 2012 Act's broad duty
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked, indicators: [deception, documents_withheld]}
      location: {current: jail_remand_home}
      legal: {detained: true, charges: [illegal_entry], events_year: 2024}
      """
    When the legal check is run
    Then the finding "non_punishment" is engaged
    And the finding "non_punishment" cites "bd.pshta_2012.s37_1" as the law at the time of the events
    And the finding "non_punishment" cites "bd.ordinance_2026.s54_1" for proceedings now
    And the finding "non_punishment" says "not charged or punished under that Act or any other law"

  Scenario: Held and charged for events in 2026: the Ordinance's narrower clause, its scope stated
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked, indicators: [deception, documents_withheld]}
      location: {current: jail_remand_home}
      legal: {detained: true, charges: [illegal_entry], events_year: 2026, events_date: 2026-02-02}
      """
    When the legal check is run
    Then the finding "non_punishment" is engaged
    And the finding "non_punishment" cites "bd.ordinance_2026.s54_1" as the law at the time of the events
    And the finding "non_punishment" says "is narrower: no criminal liability under the Ordinance itself for illegal entry, illegal stay or false travel documents"

  Scenario: Held and charged, the date of the events unknown: both laws are shown and the check asks for the date
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked, indicators: [deception, documents_withheld]}
      location: {current: jail_remand_home}
      legal: {detained: true, charges: [illegal_entry]}
      """
    When the legal check is run
    Then the finding "non_punishment" is engaged
    And the finding "non_punishment" cites "bd.pshta_2012.s37_1"
    And the finding "non_punishment" cites "bd.ordinance_2026.s54_1"
    And the check asks for the date of the events

  Scenario: The privacy finding cites the ban on publishing a person's identity and the trial in camera
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {media_exposure: true}
      """
    When the legal check is run
    Then the finding "privacy" cites "bd.pshta_2012.s37_2"
    And the finding "privacy" cites "bd.pshta_2012.s25"
    And the finding "privacy" cites "bd.ordinance_2026.s21"
    And the finding "privacy" cites "bd.ordinance_2026.s42"

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

  # ---- issue 14 §4: the person's decision on legal action is respected ----

  Scenario: Officials took part, but she wants no prosecution and fears reprisal: nothing is pursued in her name, and help goes on
    Given a case with:
      """
      person: {age: 26, gender: female, cross_border: true}
      harm: {status: trafficked, perpetrators: [recruiter_agent, official]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      legal: {officials_complicit: true, wants_prosecution: 'no', fears_reprisal: true}
      """
    When the case is assessed
    Then "Arrest and prosecute officers who break the law, including officials who took part in or covered up the trafficking" is not recommended
    And "Suspension and disciplinary action against officers, when and where necessary" is not recommended
    And "Make sure shelter, care and every other kind of help continue whatever the person decides about giving evidence, and challenge any condition that ties help to testifying or cooperating with the police" is recommended because of rule "rights.declines_prosecution"
    And the flag "Officials involved" is raised
    And the flag "Risk of reprisal" is raised
    And "Safety planning and risk assessment with the person before any legal step" is recommended
    When the legal check is run
    Then the finding "assistance_not_conditional" is engaged

  Scenario: A witness held in safe custody who does not want to prosecute still gets a lawyer to get out
    Given a case with:
      """
      person: {age: 22, gender: female, cross_border: false}
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm}
      recovery: {setting: safe_custody, consent: false, free_movement: false, months_in_custody: 5}
      legal: {detained: false, charges: [], wants_prosecution: 'no'}
      """
    When the case is assessed
    Then "Legal and other assistance for the whole of any criminal, civil or other case against suspected traffickers, from the report of the crime to the end of the prosecution" is recommended because of rule "recovery.stranded_in_custody"
    When the legal check is run
    Then the finding "legal_assistance" is engaged
