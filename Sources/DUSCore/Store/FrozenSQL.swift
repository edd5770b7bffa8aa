/// The SQL of migrations as they were shipped, frozen: a migration carries its own SQL
/// (or a copy of what it needed then), never today's application types, so that a later
/// change to the model or the catalogue cannot change what an old migration does.
/// Written out from the databases those migrations made (`scripts/make-schema-fixtures`).
enum FrozenSQL {
    /// `v1-reviews`: the tables of the first release, the catalogue of the time (version
    /// 1, 45 factors) in `factor`, and the analysts' views of the factor answers.
    static let v1 = #"""
PRAGMA application_id = 1146442545;
CREATE TABLE "factor" ("id" TEXT PRIMARY KEY NOT NULL, "position" INTEGER NOT NULL UNIQUE, "grouping" TEXT NOT NULL, "question" TEXT NOT NULL, "risk_answer" TEXT NOT NULL, "applies" TEXT NOT NULL, "derived" BOOLEAN NOT NULL, "catalogue_version" INTEGER NOT NULL);
CREATE TABLE "review" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "reference" TEXT NOT NULL UNIQUE, "kind" TEXT NOT NULL, "status" TEXT NOT NULL, "classification" TEXT NOT NULL, "event_date" TEXT NOT NULL, "release_date" TEXT, "review_date" TEXT, "region" TEXT NOT NULL, "supervision" TEXT NOT NULL, "age" INTEGER, "sex" TEXT NOT NULL, "ethnicity" TEXT NOT NULL, "event_place" TEXT NOT NULL, "bystander_present" TEXT NOT NULL, "naloxone_given_at_event" TEXT NOT NULL, "ambulance_attended" TEXT NOT NULL, "substances" TEXT NOT NULL, "agencies" TEXT NOT NULL, "summary" TEXT, "answers" TEXT NOT NULL, "days_since_release" INTEGER, "release_band" TEXT NOT NULL, "age_band" TEXT NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
CREATE INDEX "review_on_event_date" ON "review"("event_date");
CREATE TABLE "finding" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "review_id" INTEGER NOT NULL REFERENCES "review"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "text" TEXT NOT NULL, "themes" TEXT NOT NULL, UNIQUE ("review_id", "position"));
CREATE TABLE "learning" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "review_id" INTEGER NOT NULL REFERENCES "review"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "text" TEXT NOT NULL, "themes" TEXT NOT NULL, UNIQUE ("review_id", "position"));
CREATE TABLE "recommendation" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "review_id" INTEGER NOT NULL REFERENCES "review"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "label" TEXT NOT NULL, "text" TEXT NOT NULL, "addressed_to" TEXT, "response" TEXT NOT NULL, "reason_category" TEXT, "reason" TEXT, "themes" TEXT NOT NULL, UNIQUE ("review_id", "label"));
CREATE TABLE "action" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "recommendation_id" INTEGER NOT NULL REFERENCES "recommendation"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "label" TEXT NOT NULL, "text" TEXT NOT NULL, "owner" TEXT NOT NULL, "target_date" TEXT NOT NULL, "current_target_date" TEXT NOT NULL, "status" TEXT NOT NULL, "completed_date" TEXT, "withdrawn_reason" TEXT, UNIQUE ("recommendation_id", "label"));
CREATE TABLE "action_revision" ("action_id" INTEGER NOT NULL REFERENCES "action"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "target_date" TEXT NOT NULL, PRIMARY KEY ("action_id", "position"));
CREATE TABLE "action_update" ("action_id" INTEGER NOT NULL REFERENCES "action"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "date" TEXT NOT NULL, "note" TEXT NOT NULL, PRIMARY KEY ("action_id", "position"));
CREATE TABLE "audit" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "reference" TEXT NOT NULL, "at" TEXT NOT NULL, "event" TEXT NOT NULL, "reason" TEXT, "detail" TEXT, "content" TEXT);
CREATE INDEX "audit_on_reference" ON "audit"("reference");
INSERT INTO factor VALUES('first_fortnight',1,'Release and transition from custody','event on the release day or in the 13 days after it','yes','released',1,1);
INSERT INTO factor VALUES('released_friday_or_pre_holiday',2,'Release and transition from custody','released on a Friday or the day before a bank holiday (England and Wales)','yes','released',1,1);
INSERT INTO factor VALUES('released_from_remand_or_court',3,'Release and transition from custody','released straight from remand or court, with no release planning','yes','released',0,1);
INSERT INTO factor VALUES('short_sentence',4,'Release and transition from custody','the custodial term was under 12 months','yes','released',0,1);
INSERT INTO factor VALUES('homeless_on_release',5,'Release and transition from custody','no settled accommodation on the night of release','yes','released',0,1);
INSERT INTO factor VALUES('no_id_or_bank_account',6,'Release and transition from custody','released without identification or a bank account','yes','released',0,1);
INSERT INTO factor VALUES('release_plan_covered_substance_use',7,'Release and transition from custody','the release plan addressed substance use and overdose risk','no','released',0,1);
INSERT INTO factor VALUES('three_way_meeting_before_release',8,'Release and transition from custody','the person, prison and community treatment worker met before release','no','released',0,1);
INSERT INTO factor VALUES('community_treatment_notified',9,'Release and transition from custody','community treatment services were told of the release date in advance','no','released',0,1);
INSERT INTO factor VALUES('met_at_gate',10,'Release and transition from custody','someone met the person on release (gate pick-up, departure lounge)','no','released',0,1);
INSERT INTO factor VALUES('naloxone_supplied_on_release',11,'Naloxone','take-home naloxone was handed over on release','no','released',0,1);
INSERT INTO factor VALUES('naloxone_refused',12,'Naloxone','naloxone was offered and refused (and not offered again)','yes','all',0,1);
INSERT INTO factor VALUES('naloxone_held_at_event',13,'Naloxone','the person held a naloxone kit at the time of the event','no','all',0,1);
INSERT INTO factor VALUES('family_or_peers_trained',14,'Naloxone','family, peers or housing staff were trained to give naloxone','no','all',0,1);
INSERT INTO factor VALUES('in_treatment_at_event',15,'Treatment and continuity of care','in structured drug treatment at the time of the event','no','all',0,1);
INSERT INTO factor VALUES('referred_to_treatment_before_release',16,'Treatment and continuity of care','a referral to community treatment was made before release','no','released',0,1);
INSERT INTO factor VALUES('treatment_within_21_days',17,'Treatment and continuity of care','attended community treatment within 21 days of release (continuity of care)','no','released',0,1);
INSERT INTO factor VALUES('bridging_prescription',18,'Treatment and continuity of care','a bridging prescription covered the gap after release','no','released',0,1);
INSERT INTO factor VALUES('ost_interrupted',19,'Treatment and continuity of care','opioid substitution treatment was interrupted at a transition','yes','all',0,1);
INSERT INTO factor VALUES('recent_treatment_exit',20,'Treatment and continuity of care','left or was discharged from treatment in the 28 days before','yes','all',0,1);
INSERT INTO factor VALUES('recent_hospital_discharge',21,'Treatment and continuity of care','discharged from hospital in the 28 days before','yes','all',0,1);
INSERT INTO factor VALUES('opioid_use',22,'Substance use','history of opioid use','yes','all',0,1);
INSERT INTO factor VALUES('polydrug',23,'Substance use','two or more substances implicated','yes','all',1,1);
INSERT INTO factor VALUES('injecting',24,'Substance use','injecting in the past year','yes','all',0,1);
INSERT INTO factor VALUES('reduced_tolerance',25,'Substance use','a period of abstinence or reduced use just before (custody, hospital, treatment)','yes','all',0,1);
INSERT INTO factor VALUES('previous_overdose',26,'Substance use','a previous non-fatal overdose','yes','all',0,1);
INSERT INTO factor VALUES('used_alone',27,'Substance use','used alone at the time of the event','yes','all',0,1);
INSERT INTO factor VALUES('mental_health_need',28,'Health','diagnosed or suspected mental health condition','yes','all',0,1);
INSERT INTO factor VALUES('self_harm_history',29,'Health','history of self-harm or suicide attempts','yes','all',0,1);
INSERT INTO factor VALUES('physical_health_condition',30,'Health','significant physical illness (for example respiratory disease)','yes','all',0,1);
INSERT INTO factor VALUES('brain_injury_or_learning_disability',31,'Health','acquired brain injury, learning disability or neurodivergence affecting engagement','yes','all',0,1);
INSERT INTO factor VALUES('isolated',32,'Social circumstances','lived alone or was socially isolated','yes','all',0,1);
INSERT INTO factor VALUES('homeless_at_event',33,'Social circumstances','no settled accommodation at the time of the event','yes','all',0,1);
INSERT INTO factor VALUES('recent_bereavement_or_loss',34,'Social circumstances','a bereavement or major loss in the 3 months before','yes','all',0,1);
INSERT INTO factor VALUES('exploitation',35,'Social circumstances','exploited, cuckooed or under organised-crime influence','yes','all',0,1);
INSERT INTO factor VALUES('domestic_abuse',36,'Social circumstances','victim or perpetrator of domestic abuse','yes','all',0,1);
INSERT INTO factor VALUES('safeguarding_concern',37,'Social circumstances','an adult safeguarding concern was raised or warranted','yes','all',0,1);
INSERT INTO factor VALUES('overdose_risk_assessed',38,'Supervision practice and information sharing','risk of overdose or harm to self was assessed and planned for','no','all',0,1);
INSERT INTO factor VALUES('harm_reduction_advice_given',39,'Supervision practice and information sharing','overdose-prevention advice (tolerance, naloxone, using alone) was given','no','all',0,1);
INSERT INTO factor VALUES('missed_appointments',40,'Supervision practice and information sharing','missed probation appointments in the 28 days before','yes','all',0,1);
INSERT INTO factor VALUES('enforcement_action_recent',41,'Supervision practice and information sharing','breach or recall action in the 28 days before','yes','all',0,1);
INSERT INTO factor VALUES('drug_tests_recorded',42,'Supervision practice and information sharing','drug test results were recorded where testing applied','no','all',0,1);
INSERT INTO factor VALUES('multi_agency_meeting',43,'Supervision practice and information sharing','a multi-agency or professionals meeting was held in the 3 months before','no','all',0,1);
INSERT INTO factor VALUES('prison_shared_health_info',44,'Supervision practice and information sharing','prison healthcare shared treatment and risk information with probation','no','released',0,1);
INSERT INTO factor VALUES('probation_shared_risk_info',45,'Supervision practice and information sharing','probation shared risk information with the treatment provider','no','all',0,1);
CREATE VIEW review_factors AS
SELECT id AS review_id, reference, CASE substr(answers, 1, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS first_fortnight,
  CASE substr(answers, 2, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS released_friday_or_pre_holiday,
  CASE substr(answers, 3, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS released_from_remand_or_court,
  CASE substr(answers, 4, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS short_sentence,
  CASE substr(answers, 5, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS homeless_on_release,
  CASE substr(answers, 6, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS no_id_or_bank_account,
  CASE substr(answers, 7, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS release_plan_covered_substance_use,
  CASE substr(answers, 8, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS three_way_meeting_before_release,
  CASE substr(answers, 9, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS community_treatment_notified,
  CASE substr(answers, 10, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS met_at_gate,
  CASE substr(answers, 11, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS naloxone_supplied_on_release,
  CASE substr(answers, 12, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS naloxone_refused,
  CASE substr(answers, 13, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS naloxone_held_at_event,
  CASE substr(answers, 14, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS family_or_peers_trained,
  CASE substr(answers, 15, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS in_treatment_at_event,
  CASE substr(answers, 16, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS referred_to_treatment_before_release,
  CASE substr(answers, 17, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS treatment_within_21_days,
  CASE substr(answers, 18, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS bridging_prescription,
  CASE substr(answers, 19, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS ost_interrupted,
  CASE substr(answers, 20, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS recent_treatment_exit,
  CASE substr(answers, 21, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS recent_hospital_discharge,
  CASE substr(answers, 22, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS opioid_use,
  CASE substr(answers, 23, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS polydrug,
  CASE substr(answers, 24, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS injecting,
  CASE substr(answers, 25, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS reduced_tolerance,
  CASE substr(answers, 26, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS previous_overdose,
  CASE substr(answers, 27, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS used_alone,
  CASE substr(answers, 28, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS mental_health_need,
  CASE substr(answers, 29, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS self_harm_history,
  CASE substr(answers, 30, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS physical_health_condition,
  CASE substr(answers, 31, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS brain_injury_or_learning_disability,
  CASE substr(answers, 32, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS isolated,
  CASE substr(answers, 33, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS homeless_at_event,
  CASE substr(answers, 34, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS recent_bereavement_or_loss,
  CASE substr(answers, 35, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS exploitation,
  CASE substr(answers, 36, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS domestic_abuse,
  CASE substr(answers, 37, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS safeguarding_concern,
  CASE substr(answers, 38, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS overdose_risk_assessed,
  CASE substr(answers, 39, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS harm_reduction_advice_given,
  CASE substr(answers, 40, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS missed_appointments,
  CASE substr(answers, 41, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS enforcement_action_recent,
  CASE substr(answers, 42, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS drug_tests_recorded,
  CASE substr(answers, 43, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS multi_agency_meeting,
  CASE substr(answers, 44, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS prison_shared_health_info,
  CASE substr(answers, 45, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS probation_shared_risk_info
FROM review;
CREATE VIEW review_factor_answer AS
SELECT review.id AS review_id, review.reference AS reference, factor.id AS factor,
  CASE substr(review.answers, factor.position, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no'
    WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS answer,
  CASE WHEN substr(review.answers, factor.position, 1) = (CASE factor.risk_answer WHEN 'yes' THEN 'y' ELSE 'n' END)
    THEN 1 ELSE 0 END AS is_risk
FROM review CROSS JOIN factor;
"""#

    /// `v4-parts-in-review`: the views that show a review's parts one row each, as the
    /// tables before it did, and `search_text`, every searchable text with its row id in
    /// the index.
    static let v4Views = #"""
CREATE VIEW finding AS
SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
  json_extract(item.value, '$.text') AS text, coalesce(json_extract(item.value, '$.themes'), '[]') AS themes
FROM review, json_each(review.findings) AS item;

CREATE VIEW learning AS
SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
  json_extract(item.value, '$.text') AS text, coalesce(json_extract(item.value, '$.themes'), '[]') AS themes
FROM review, json_each(review.learning) AS item;

CREATE VIEW recommendation AS
SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
  json_extract(item.value, '$.id') AS label, json_extract(item.value, '$.text') AS text, json_extract(item.value, '$.to') AS addressed_to,
  json_extract(item.value, '$.response') AS response, json_extract(item.value, '$.reason_category') AS reason_category,
  json_extract(item.value, '$.reason') AS reason, coalesce(json_extract(item.value, '$.themes'), '[]') AS themes
FROM review, json_each(review.recommendations) AS item;

CREATE VIEW action AS
SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
  json_extract(r.value, '$.id') AS recommendation, a.key + 1 AS position, json_extract(a.value, '$.id') AS label,
  json_extract(a.value, '$.text') AS text, json_extract(a.value, '$.owner') AS owner, json_extract(a.value, '$.target_date') AS target_date,
  coalesce(json_extract(a.value, '$.revised_target_dates[#-1]'), json_extract(a.value, '$.target_date')) AS current_target_date,
  json_extract(a.value, '$.status') AS status, json_extract(a.value, '$.completed_date') AS completed_date,
  json_extract(a.value, '$.withdrawn_reason') AS withdrawn_reason
FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a;

CREATE VIEW action_revision AS
SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
  json_extract(r.value, '$.id') AS recommendation, a.key + 1 AS action_position, json_extract(a.value, '$.id') AS action,
  d.key + 1 AS position, d.value AS target_date
FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a,
  json_each(a.value, '$.revised_target_dates') AS d;

CREATE VIEW action_update AS
SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
  json_extract(r.value, '$.id') AS recommendation, a.key + 1 AS action_position, json_extract(a.value, '$.id') AS action,
  u.key + 1 AS position, json_extract(u.value, '$.date') AS date, json_extract(u.value, '$.note') AS note
FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a,
  json_each(a.value, '$.updates') AS u;

CREATE VIEW search_text AS SELECT review_id * 1048576 + row_number() OVER (PARTITION BY review_id ORDER BY part, p1, p2, p3) - 1 AS id,
  review_id, reference, source, item, text FROM (
  SELECT review.id AS review_id, review.reference AS reference, 'summary' AS source, 'summary' AS item,
    review.summary AS text, 0 AS part, 0 AS p1, 0 AS p2, 0 AS p3
    FROM review WHERE review.summary IS NOT NULL AND (1)
  UNION ALL
  SELECT review.id, review.reference, 'finding', 'findings[' || (f.key + 1) || ']', json_extract(f.value, '$.text'), 1, f.key, 0, 0
    FROM review, json_each(review.findings) AS f WHERE 1
  UNION ALL
  SELECT review.id, review.reference, 'learning', 'learning[' || (l.key + 1) || ']', json_extract(l.value, '$.text'), 2, l.key, 0, 0
    FROM review, json_each(review.learning) AS l WHERE 1
  UNION ALL
  SELECT review.id, review.reference, 'recommendation', 'recommendations[' || json_extract(r.value, '$.id') || ']',
    json_extract(r.value, '$.text'), 3, r.key, -1, 0
    FROM review, json_each(review.recommendations) AS r WHERE 1
  UNION ALL
  SELECT review.id, review.reference, 'action', 'recommendations[' || json_extract(r.value, '$.id') || '].actions[' || json_extract(a.value, '$.id') || ']', json_extract(a.value, '$.text'), 3, r.key, a.key, -1
    FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a WHERE 1
  UNION ALL
  SELECT review.id, review.reference, 'action', 'recommendations[' || json_extract(r.value, '$.id') || '].actions[' || json_extract(a.value, '$.id') || ']' || '.updates[' || (u.key + 1) || ']',
    json_extract(u.value, '$.note'), 3, r.key, a.key, u.key
    FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a, json_each(a.value, '$.updates') AS u WHERE 1);
"""#
}
