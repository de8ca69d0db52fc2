Feature: Planning prevention and legal action for a district
  Policy and programme staff describe a district (or a programme's area) as a whole — never a
  person. The advice picks the audiences of the matrix that the district's answers point to:
  potential and outgoing migrants, communities, policy makers, the media, NGOs, vulnerable
  people, employers and consumers, and the legal action against traffickers and complicit
  officials.

  Scenario: A district many leave from, with no safe-migration or pre-departure work yet
    Given a case with:
      """
      kind: community
      district: {roles: [origin], outward_migration: high}
      programmes: {awareness: false, predeparture: false}
      """
    When the case is assessed
    Then "safe_migration_guidelines" is recommended because of rule "prevention.safe_migration_information"
    And "awareness_posters" is recommended
    And "predeparture_training" is recommended because of rule "prevention.predeparture_programme"
    And "hiv_aids_education" is recommended
    And no flag is raised

  Scenario: Where awareness work already reaches people, it is not proposed again
    Given a case with:
      """
      kind: community
      district: {outward_migration: high}
      traffickers: {cases_reported: true}
      programmes: {awareness: true}
      """
    When the case is assessed
    Then "safe_migration_guidelines" is not recommended
    And "mass_media_awareness" is not recommended
    And "prosecute_related_crimes" is recommended

  Scenario: Known brokers and trafficking cases, but almost no prosecutions
    Given a case with:
      """
      kind: community
      traffickers: {recruiters: known, cases_reported: true}
      prosecution: {cases_prosecuted: few, legal_support: false}
      """
    When the case is assessed
    Then "prosecute_recruiters" is recommended because of rule "legal_action.known_recruiters"
    And "arrests_for_lesser_charges" is recommended because of rule "legal_action.disrupt"
    And "educate_crime_implications" is recommended because of rule "legal_action.dissuade"
    And "operationalise_prosecution_commitment" is recommended because of rule "legal_action.prosecution_gap"
    And "confiscate_trafficker_assets" is recommended
    And "state_legal_support" is recommended because of rule "legal_action.legal_support"
    And "publicise_cases" is recommended
    And the principle "confidentiality" applies

  Scenario: Officials who took part in trafficking are held to account
    Given a case with:
      """
      kind: community
      law_enforcement: {officials_involved: yes}
      """
    When the case is assessed
    Then the flag "official_misconduct" is raised
    And "prosecute_complicit_officials" is recommended because of rule "legal_action.officials"
    And "disciplinary_action_officials" is recommended

  Scenario: Reports about officials that nobody could confirm lead to no action against them
    Given a case with:
      """
      kind: community
      law_enforcement: {officials_involved: unknown}
      """
    When the case is assessed
    Then the flag "official_misconduct" is not raised
    And "prosecute_complicit_officials" is not recommended

  Scenario: A border district with untrained police
    Given a case with:
      """
      kind: community
      district: {roles: [origin, transit], border_district: true}
      traffickers: {cases_reported: true}
      law_enforcement: {police_trained: false, special_unit: false, womens_unit: false}
      """
    When the case is assessed
    Then "joint_border_activities" is recommended because of rule "legal_action.border"
    And "police_training" is recommended
    And "law_enforcement_workshops" is recommended
    And "special_units" is recommended
    And "womens_units" is recommended
    And "prosecute_transporters" is recommended because of rule "legal_action.transporters"
    And "regional_cooperation" is recommended

  Scenario: Brick kilns and households that use trafficked labour: employers and consumers
    Given a case with:
      """
      kind: community
      district: {roles: [destination]}
      employers: {sectors: [bonded_labour, domestic_servitude], worksites_monitored: false}
      """
    When the case is assessed
    Then "prosecute_users_of_trafficked_persons" is recommended because of rule "prevention.employers"
    And "monitor_worksites" is recommended
    And "prosecute_exploiters" is recommended because of rule "legal_action.exploiters"
    And "educate_public_exploitation" is recommended
    And "research_customer_population" is recommended because of rule "prevention.consumers_of_services"
    And "educate_consumers_products" is recommended because of rule "prevention.consumers_of_goods"

  Scenario: Poverty, inequality and policies that push people into irregular migration
    Given a case with:
      """
      kind: community
      district: {irregular_migration: true, registration_gaps: true, female_literacy_low: true}
      prevalent: {needs: [lack_of_basic_needs], factors: [gender_inequality, economic_factors]}
      programmes: {livelihoods: false}
      """
    When the case is assessed
    Then "low_interest_loans" is recommended because of rule "prevention.livelihoods"
    And "female_literacy" is recommended
    And "community_sensitivity_vulnerable" is recommended
    And "civil_registration" is recommended
    And "policy_sensitisation_workshops" is recommended because of rule "prevention.policy_makers"

  Scenario: Media that published a survivor's photograph, and NGOs that work alone
    Given a case with:
      """
      kind: community
      media: {coverage: sensational, survivors_identified: true}
      civil_society: {ngos_active: true, anti_trafficking_in_programmes: false, networked: false}
      """
    When the case is assessed
    Then "responsible_reporting_guidelines" is recommended because of rule "prevention.media_confidentiality"
    And "media_group_seminars" is recommended
    And "ngo_orientations" is recommended
    And "ngo_networks" is recommended
    And the principle "confidentiality" applies

  Scenario: A district about which nothing is known yet asks first what leads to the most work
    Given a case with:
      """
      kind: community
      """
    When the case is assessed
    Then no flag is raised
    And the question "traffickers.cases_reported" is among the missing
    And the question "district.outward_migration" is among the missing

  Scenario: Trafficking reaches the district and no awareness work does
    Given a case with:
      """
      kind: community
      traffickers: {recruiters: suspected, cases_reported: true}
      programmes: {awareness: false}
      """
    When the case is assessed
    Then "mass_media_awareness" is recommended because of rule "prevention.community_awareness"
    And "awareness_rallies" is recommended
    And "school_programmes" is recommended
    And "community_media_events" is recommended
    And "educate_on_orderly_migration" is recommended
    And "educate_on_trafficker_strategies" is recommended because of rule "legal_action.community_vigilance"
    And "prosecute_recruiters" is not recommended
