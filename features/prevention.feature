Feature: Counselling a person who is about to migrate
  Before any harm: a caseworker meets someone who is thinking of going abroad to work, or who
  is about to leave. The advice weighs the risk of trafficking harm in how they are recruited
  and how they travel, gives the reasons, and brings in the matrix's safe-migration factors
  and awareness work. Whether to go stays the person's own decision.

  Scenario: A village broker and a loan for the fees put the person at high risk, with both reasons given
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 24, gender: male, origin: Tangail}
      plan: {stage: decided, destination: Malaysia, cross_border: true}
      recruitment: {channel: informal_broker, debt_for_fees: true}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised with severity "high"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.broker_and_debt"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.informal_broker"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.debt_for_fees"
    And "socially_responsible_agency" is recommended because of rule "safe_migration.broker_and_debt"
    And "transparent_recruitment" is recommended
    And the principle "informed_choice" applies

  Scenario: A broker alone, with the fees paid from savings, is a risk but not a high one
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 27, gender: male}
      recruitment: {channel: informal_broker, debt_for_fees: false}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised with severity "medium"
    And "socially_responsible_agency" is recommended because of rule "safe_migration.informal_broker"
    And "transparent_recruitment" is not recommended

  Scenario: The recruiter keeps her passport before she has even left
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 29, gender: female}
      plan: {stage: decided, cross_border: true}
      documents: {passport: held_by_recruiter}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised with severity "high"
    And "keep_own_documents" is recommended because of rule "safe_migration.documents_held"

  Scenario: Going abroad to work on a visit visa
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 31, gender: male}
      plan: {stage: decided, destination: Oman, cross_border: true}
      documents: {work_permit: false}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised because of rule "safe_migration.no_work_permit"
    And "regular_overseas_employment" is recommended

  Scenario: Moving to a factory inside the country needs no work permit
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 31, gender: male}
      plan: {stage: decided, destination: Gazipur, cross_border: false}
      documents: {work_permit: false}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is not raised
    And "regular_overseas_employment" is not recommended

  Scenario: Every safe-migration factor is in place
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 33, gender: male}
      plan: {stage: decided, destination: Qatar, cross_border: true}
      recruitment: {channel: licensed_agency, debt_for_fees: false}
      documents: {passport: holds_own, work_permit: true, contract: written, contract_understood: true}
      """
    When the case is assessed
    Then no flag is raised
    And "safe_migration_support" is recommended because of rule "safe_migration.factors_in_place"
    And "supportive_migration_network" is recommended

  Scenario: Someone still deciding gets the information for an informed choice
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 21, gender: female}
      plan: {stage: considering}
      migration: {needs: [lack_of_economic_security], influencers: [self, family]}
      """
    When the case is assessed
    Then "safe_migration_guidelines" is recommended because of rule "prevention.informed_choice"
    And "safe_migration_seminars" is recommended
    And "info_services_if_in_trouble" is recommended
    And "low_interest_loans" is recommended because of rule "prevention.options_at_home"
    And "predeparture_training" is not recommended
    And the principle "informed_choice" applies

  Scenario: Someone about to leave without any preparation
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 25, gender: female}
      plan: {stage: decided, destination: Jordan, cross_border: true}
      preparation: {predeparture_training: false, speaks_language: false, job_skills: false,
                    knows_where_to_get_help: false}
      """
    When the case is assessed
    Then "predeparture_training" is recommended because of rule "prevention.predeparture"
    And "predeparture_briefing" is recommended
    And "hiv_aids_education" is recommended
    And "language_courses" is recommended because of rule "prevention.language"
    And "predeparture_skills_development" is recommended because of rule "prevention.skills"
    And "info_services_if_in_trouble" is recommended because of rule "prevention.help_if_in_trouble"
    And "safe_migration_guidelines" is not recommended

  Scenario: A 16-year-old is referred to child protection, not counselled on migrating for work
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 16, gender: female}
      plan: {stage: decided, cross_border: false}
      recruitment: {channel: informal_broker, debt_for_fees: true}
      preparation: {predeparture_training: false}
      """
    When the case is assessed
    Then the flag "child_protection_referral" is raised
    And the flag "risk_of_harm" is not raised
    And "child_protection_services" is recommended
    And "predeparture_training" is not recommended

  Scenario: With only the plan known, the interview asks about the recruitment next
    Given a case with:
      """
      kind: potential_migrant
      plan: {stage: decided, cross_border: true}
      """
    When the case is assessed
    Then no flag is raised
    And the question "recruitment.channel" is among the missing
    And the question "recruitment.debt_for_fees" is among the missing
    And the question "documents.work_permit" is among the missing

  Scenario: A job promised by word of mouth, and hopes built on stories of easy money
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 26, gender: female}
      plan: {stage: considering, destination: Dubai, cross_border: true}
      migration: {factors: [migration_myth], influencers: [self]}
      documents: {contract: verbal}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised with severity "medium"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.no_written_contract"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.migration_myth"
    And "decent_work_check" is recommended
    And "transparent_recruitment" is recommended because of rule "safe_migration.no_written_contract"

  Scenario: People linked to organised crime are arranging the journey
    Given a case with:
      """
      kind: potential_migrant
      person: {age: 22, gender: male}
      plan: {stage: decided, cross_border: true}
      migration: {factors: [organized_crime, economic_factors]}
      """
    When the case is assessed
    Then the flag "risk_of_harm" is raised with severity "high"
    And the flag "risk_of_harm" is raised because of rule "safe_migration.organised_crime"
    And "info_services_if_in_trouble" is recommended
