Feature: Held is held, screening that adds the signs up, and answers that contradict each other
  A caseworker must be able to trust the advice where survivors get hurt: a jail or a locked
  shelter is detention whatever question it was written under; one weak sign is not
  trafficking, and nobody still at the place of harm is called a safe migrant; a person with
  no chance yet to leave is not treated as if she chose to stay; answers that contradict each
  other are shown, with what each reading would mean; and what is not known stays not known.

  # ------------------------------------------------------------------ held is held (§3) ----

  Scenario: A woman in a jail abroad is held, even though nobody ticked "detained"
    Given a case with:
      """
      person: {age: 23, gender: female, cross_border: true}
      harm: {status: trafficked, sectors: [sex_industry]}
      exit: {route: rescue_raid}
      location: {current: jail_remand_home}
      """
    When the case is assessed
    Then the person is held
    And the warning "Non-punishment applies" is raised
    And the advice includes "Make sure the person is not punished"
    And the advice includes "Seek the person's release"

  Scenario: A shelter she may not leave counts as detention on the legal check
    Given a case with:
      """
      person: {age: 26, gender: female, cross_border: true}
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm}
      recovery: {setting: long_term_stay, consent: true, free_movement: false}
      legal: {detained: false, charges: []}
      """
    When the case is assessed
    Then the person is held
    And the warning "Non-punishment applies" is raised
    When the legal check is run
    Then the legal check finds "Non-punishment" engaged
    And the legal check finds "No immigration detention" engaged

  Scenario: While nobody knows where she stays, whether she is held stays not known
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {detained: false, charges: []}
      """
    When the case is assessed
    Then it is not known whether the person is held
    And the warning "Non-punishment applies" is not raised
    And the question "location.current" is among the missing

  Scenario: Back with her sister, free, not charged: she is not held
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      recovery: {setting: none}
      legal: {detained: false, charges: []}
      """
    When the case is assessed
    Then the person is not held
    And the warning "Non-punishment applies" is not raised

  # ------------------------------------------ screening: one weak sign is not trafficking (§5) ----

  Scenario: Late wages alone, through a licensed agency, are not trafficking; she gets help to claim them
    Given a case with:
      """
      person: {age: 29, gender: female, cross_border: true}
      migration: {movement: voluntary, influencers: [recruiter]}
      harm: {indicators: [wages_withheld], sectors: [domestic_servitude]}
      exit: {route: contract_over}
      location: {current: repatriated_voluntary}
      """
    When the case is assessed
    Then the screening reads "Not clear yet"
    And the warning "Screening needed" is raised
    And the advice includes "Help the person claim compensation"
    And the advice includes "Make sure survivors know about the services"

  Scenario: Her passport taken and her wages withheld add up: she is treated as trafficked
    Given a case with:
      """
      person: {age: 29, gender: female, cross_border: true}
      migration: {movement: voluntary}
      harm: {indicators: [documents_withheld, wages_withheld], sectors: [domestic_servitude]}
      """
    When the case is assessed
    Then the screening reads "Trafficked"
    And the warning "Screening needed" is not raised

  Scenario: A man still at the kiln is never called a safe migrant, even with no sign recorded yet
    Given a case with:
      """
      person: {age: 35, gender: male, cross_border: false}
      migration: {movement: voluntary}
      harm: {indicators: [], sectors: [hard_labour]}
      exit: {route: not_exited}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the screening reads "Not clear yet"
    And the warning "Safe migration, not trafficking" is not raised

  Scenario: A young man forced to carry drugs for a gang is treated as trafficked
    Given a case with:
      """
      person: {age: 20, gender: male, cross_border: true}
      harm: {sectors: [forced_criminality]}
      """
    When the case is assessed
    Then the screening reads "Trafficked"

  # ----------------------------------------------- still held, no chance yet to leave (§6) ----

  Scenario: A builder abroad with no chance yet to leave: the Bangladesh Mission, not the options for a free choice
    Given a case with:
      """
      person: {age: 34, gender: male, cross_border: true}
      harm: {indicators: [documents_withheld, movement_restricted], sectors: [industrial_work]}
      exit: {route: not_exited, remain_reason: no_opportunity_yet}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the advice includes "Contact the labour wing of the Bangladesh Mission"
    And the advice includes "Make sure information on where to go"
    And the advice does not include "Create an enabling environment for people who remain"
    And the advice does not include "Improve conditions in the industry"

  Scenario: Recorded as staying by choice but not free to move: no options for a free choice, and the answers are checked
    Given a case with:
      """
      harm: {status: trafficked, indicators: [movement_restricted], sectors: [sex_industry]}
      exit: {route: not_exited, remain_reason: free_agent}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the advice does not include "Create an enabling environment for people who remain"
    And the advice does not include "Improve conditions in the industry"
    And the warning "Answers contradict each other" is raised
    And the warning "Answers contradict each other" says "whether they could leave if they wanted to"

  # ---------------------------------------------------- answers that contradict (§9) ----

  Scenario: Taken by force but recorded as safe migration: both readings are shown, to be checked
    Given a case with:
      """
      migration: {movement: kidnapped}
      harm: {status: safe_migration}
      """
    When the case is assessed
    Then the warning "Answers contradict each other" is raised with severity "medium"
    And the warning "Answers contradict each other" says "taken against their will"
    And the warning "Answers contradict each other" says "if it was safe migration, only migrant support applies"
    And the warning "Answers contradict each other" says "check both answers with the person"

  Scenario: Left when there was a chance, yet still at the place of harm: both sets of advice, and a check
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: opportunity_to_leave}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the warning "Answers contradict each other" is raised
    And the warning "Remains in the harm environment" is raised
    And the advice includes "Make sure counselling is available on life options"
    And the warning "Answers contradict each other" says "whether they went back"

  Scenario: Non-punishment next to "not trafficking" is shown as a clash, and non-punishment stays
    Given a case with:
      """
      harm: {status: safe_migration}
      legal: {charges: [illegal_stay], charges_linked_to_trafficking: unknown}
      """
    When the case is assessed
    Then the warning "Safe migration, not trafficking" is raised
    And the warning "Non-punishment applies" is raised
    And the warning "Answers contradict each other" says "screen again"

  Scenario: A clash check never asks a question of its own
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      """
    When the case is assessed
    Then the question "recovery.free_movement" is not among the missing
    And the warning "Answers contradict each other" is not raised

  # ------------------------------------------------- unknown stays unknown (§10) ----

  Scenario: With nothing known, whether the person is still in the harm environment is not known
    Given a case with:
      """
      person: {age: 30}
      """
    When the case is assessed
    Then it is not known whether the person is still in the harm environment
    And it is not known whether the person is held

  Scenario: The services she lacks in the centre she chose are offered
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      recovery: {setting: drop_in_centre, consent: true, free_movement: true, services: [food_shelter_medical]}
      """
    When the case is assessed
    Then the advice includes "Increase the number and types of services"
    And the advice includes "Adapt services to the needs of the survivor"

  Scenario: What made her leave home is answered when she rebuilds her life
    Given a case with:
      """
      harm: {status: trafficked}
      migration: {needs: [lack_of_economic_security]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      """
    When the case is assessed
    Then the advice includes "Offer counselling on livelihood options"
