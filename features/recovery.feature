Feature: Recovery
  Self recovery (no referral, no assistance - inside or outside the harm environment),
  facilitated recovery (a drop-in centre or a short- or long-term stay the person chose and
  may leave), or regressive facilitated recovery (safe custody, jail, or a facility the
  person did not choose or may not leave, where people are stranded for months or years).

  Scenario: A person recovering on their own inside the harm environment is told about services
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: not_exited}
      location: {current: harm_location}
      recovery: {setting: none}
      """
    When the case is assessed
    Then the recovery type is "self_recovery_in_harm"
    And "inform_about_services" is recommended because of rule "recovery.self_support"
    And "referral_network" is recommended
    And "livelihood_counselling" is recommended

  Scenario: A survivor recovering alone after leaving is told about the services they can choose
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: none}
      """
    When the case is assessed
    Then the recovery type is "self_recovery_outside_harm"
    And "inform_about_services" is recommended because of rule "recovery.self_support"
    And "referral_network" is recommended
    And "livelihood_counselling" is recommended

  Scenario: A survivor who chose a shelter they are free to leave is in facilitated recovery
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: short_term_stay, consent: true, free_movement: true}
      """
    When the case is assessed
    Then the recovery type is "facilitated"
    And "adapt_services_to_needs" is recommended because of rule "recovery.facilitated_support"
    And "coordinate_intervention_levels" is recommended
    And the flag "consent_not_respected" is not raised
    And the flag "stranded_in_custody" is not raised

  Scenario: A survivor trafficked across the border who uses a drop-in centre is linked with NGOs on both sides
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: drop_in_centre, consent: true, free_movement: true}
      """
    When the case is assessed
    Then the recovery type is "facilitated"
    And "cross_border_ngo_linkages" is recommended because of rule "recovery.facilitated_cross_border"

  Scenario: A month in a drop-in centre the survivor chose is not custody
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: drop_in_centre, consent: true, free_movement: true, months_in_custody: 2}
      """
    When the case is assessed
    Then the recovery type is "facilitated"
    And the flag "stranded_in_custody" is not raised

  Scenario: A survivor placed in a shelter without their consent is in regressive recovery
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm}
      recovery: {setting: long_term_stay, consent: false, free_movement: true}
      """
    When the case is assessed
    Then the recovery type is "regressive_facilitated"
    And the flag "consent_not_respected" is raised with severity "high"
    And "informed_consent_placement" is recommended because of rule "recovery.consent_not_respected"
    And "refer_to_appropriate_facility" is recommended
    And the principle "informed_consent" applies

  Scenario: A survivor who agreed to a shelter but is not allowed to leave it is in regressive recovery
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: short_term_stay, consent: true, free_movement: false}
      """
    When the case is assessed
    Then the recovery type is "regressive_facilitated"
    And the flag "consent_not_respected" is raised

  Scenario: When I don't know yet whether the survivor agreed to the shelter, I ask before judging
    Given a case with:
      """
      person: {age: 30}
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      recovery: {setting: long_term_stay, free_movement: true}
      """
    When the case is assessed
    Then the recovery type is "unknown"
    And the flag "consent_not_respected" is not raised
    And the question "recovery.consent" is among the missing

  Scenario: A person just placed in safe custody is flagged before they are stranded there
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      recovery: {setting: safe_custody, months_in_custody: 0}
      """
    When the case is assessed
    Then the recovery type is "regressive_facilitated"
    And the flag "stranded_in_custody" is raised with severity "medium"
    And "avoid_judicial_custody" is recommended
    And "limit_time_in_system" is recommended because of rule "recovery.stranded_in_custody"
    And "refer_to_appropriate_facility" is recommended because of rule "recovery.regressive_support"

  Scenario: A person held in safe custody for a month is stranded and needs urgent action with the judiciary
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      recovery: {setting: safe_custody, months_in_custody: 1}
      """
    When the case is assessed
    Then the flag "stranded_in_custody" is raised with severity "high"
    And "judiciary_redefine_safe_custody" is recommended because of rule "recovery.stranded_a_month_or_more"

  Scenario: A person held in jail for seven months is kept out of jails from now on
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: jail_remand_home}
      recovery: {setting: jail, months_in_custody: 7}
      """
    When the case is assessed
    Then the recovery type is "regressive_facilitated"
    And the flag "stranded_in_custody" is raised with severity "high"
    And "keep_out_of_jails_vagrant_homes" is recommended

  Scenario: When I don't know how long the person has been in custody, the flag stays medium and I am asked
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      recovery: {setting: safe_custody}
      """
    When the case is assessed
    Then the flag "stranded_in_custody" is raised with severity "medium"
    And the question "recovery.months_in_custody" is among the missing

  Scenario: A person in a remand home with no placement recorded is still in regressive recovery
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: jail_remand_home}
      recovery: {setting: none, months_in_custody: 0}
      """
    When the case is assessed
    Then the recovery type is "regressive_facilitated"
    And the flag "stranded_in_custody" is raised with severity "medium"

  Scenario: A survivor rescued, held for months without consent and photographed gets every protection
    Given a case with:
      """
      person: {age: 19, gender: female, cross_border: true}
      migration: {movement: kidnapped}
      harm: {sectors: [sex_industry]}
      exit: {route: rescue_raid}
      location: {current: jail_remand_home, wishes: return_home}
      recovery: {setting: safe_custody, consent: false, free_movement: false, months_in_custody: 7}
      legal:
        detained: true
        charges: [illegal_entry]
        charges_linked_to_trafficking: 'yes'
        media_exposure: true
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the recovery type is "regressive_facilitated"
    And the flag "stranded_in_custody" is raised with severity "high"
    And the flag "consent_not_respected" is raised
    And the flag "non_punishment" is raised
    And the flag "confidentiality_risk" is raised
    And "quick_repatriation_on_request" is recommended
    And "avoid_judicial_custody" is recommended

  Scenario: A pregnant survivor gets health care first
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape, health: [pregnancy]}
      """
    When the case is assessed
    Then the flag "urgent_health" is raised with severity "high"
    And "health_care" is recommended because of rule "recovery.urgent_health"

  Scenario: A survivor living with HIV gets health care and harm reduction, confidentially
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: contract_over, health: [hiv_sti]}
      """
    When the case is assessed
    Then the flag "urgent_health" is raised
    And "harm_reduction_hiv_sti" is recommended because of rule "recovery.hiv_sti"

  Scenario: A survivor with trauma is offered counselling, without an urgent health alert
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape, health: [mental_health]}
      """
    When the case is assessed
    Then "counselling_life_options" is recommended because of rule "recovery.mental_health"
    And the flag "urgent_health" is not raised

  Scenario: A survivor dependent on drugs is offered drug-use counselling
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape, health: [drug_dependence]}
      """
    When the case is assessed
    Then "drug_abuse_counselling" is recommended because of rule "recovery.drug_dependence"

  Scenario: A survivor with no health needs reported gets no urgent health alert
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape, health: []}
      """
    When the case is assessed
    Then the flag "urgent_health" is not raised

  Scenario: Trafficking recovery does not apply to a safe migrant
    Given a case with:
      """
      harm: {status: safe_migration}
      recovery: {setting: none}
      """
    When the case is assessed
    Then the recovery type is "not_applicable"
    And "inform_about_services" is not recommended
