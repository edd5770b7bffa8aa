/// Phrases for synthetic reviews, written for this tool. Each comes with its themes.
enum PhraseBank {
    static let findings: [(String, [String])] = [
        ("No take-home naloxone was handed over on release.", ["naloxone", "release-planning"]),
        ("The community treatment service was not told of the release date.", ["information-sharing", "continuity-of-care"]),
        ("The person was released without settled accommodation and spent the first nights in a hostel.", ["accommodation", "release-planning"]),
        ("Overdose risk after a period of reduced tolerance was not discussed at the first appointment.", ["harm-reduction", "risk-assessment"]),
        ("The bridging prescription ran out before the first community appointment.", ["continuity-of-care", "treatment-access"]),
        ("Prison healthcare did not share the treatment history with probation.", ["information-sharing"]),
        ("Missed appointments were recorded but not followed up with a home visit.", ["risk-assessment", "enforcement"]),
        ("Recall was considered without weighing the overdose risk of a return to custody.", ["enforcement", "risk-assessment"]),
        ("A safeguarding concern about exploitation was raised but not passed to the local authority.", ["safeguarding", "multi-agency-working"]),
        ("Mental health needs were known but no referral was made.", ["mental-health", "treatment-access"]),
        ("The release was late on a Friday, after the treatment service had closed for the weekend.", ["release-planning", "continuity-of-care"]),
        ("Family members had not been offered naloxone training.", ["naloxone", "harm-reduction"]),
        ("Drug test results were not recorded on the case management system.", ["recording-quality"]),
        ("No professionals meeting was held despite three agencies being involved.", ["multi-agency-working"]),
        ("The risk assessment was not reviewed after a known non-fatal overdose.", ["risk-assessment", "harm-reduction"]),
        ("Staff were unsure how to respond to a disclosure of using alone.", ["staff-training", "harm-reduction"]),
        ("The approved premises held naloxone but residents did not know where it was kept.", ["naloxone", "accommodation"]),
        ("Communication needs linked to a learning disability were not identified.", ["diversity"]),
        ("The person was discharged from hospital without the probation practitioner being told.", ["information-sharing", "continuity-of-care"]),
        ("Treatment was ended after missed doses without a plan to re-engage.", ["treatment-access", "continuity-of-care"]),
    ]

    static let learning: [(String, [String])] = [
        ("Ask about tolerance and naloxone at the first appointment after release.", ["harm-reduction", "naloxone"]),
        ("Confirm the first treatment appointment before the day of release.", ["continuity-of-care", "release-planning"]),
        ("Treat a missed appointment in the first fortnight as a welfare concern, not only a compliance issue.", ["risk-assessment"]),
        ("Share release dates with the treatment provider as soon as they are known.", ["information-sharing"]),
        ("Check that the person holds a naloxone kit, and knows how to use it, at every contact in the first month.", ["naloxone"]),
        ("Record drug test results and act on them.", ["recording-quality"]),
        ("Offer naloxone training to family members and housing staff.", ["naloxone", "harm-reduction"]),
        ("Review the overdose risk plan after any change of accommodation.", ["accommodation", "risk-assessment"]),
        ("Call a professionals meeting when three or more agencies are involved.", ["multi-agency-working"]),
        ("Consider the overdose risk of recall before starting enforcement action.", ["enforcement", "risk-assessment"]),
        ("Adapt communication to the person's needs and check understanding.", ["diversity"]),
        ("Refer to mental health services when a need is identified, and follow the referral up.", ["mental-health"]),
    ]

    static let recommendations: [(String, String, [String])] = [
        ("Hand take-home naloxone to every prison leaver with a history of opioid use.", "Prison healthcare provider", ["naloxone"]),
        ("Agree a protocol for sharing release dates with community treatment services.", "Head of Reducing Reoffending", ["information-sharing"]),
        ("Avoid Friday releases for people at high risk of overdose where the law allows.", "Prison governor", ["release-planning"]),
        ("Include overdose risk in every post-release risk management plan.", "Probation delivery unit head", ["risk-assessment"]),
        ("Commission bridging prescriptions that cover the gap to the first community appointment.", "Local drug and alcohol commissioner", ["continuity-of-care", "treatment-access"]),
        ("Train practitioners in overdose prevention conversations.", "Probation learning and development lead", ["staff-training", "harm-reduction"]),
        ("Provide emergency accommodation for prison leavers released with nowhere to stay.", "Local authority housing", ["accommodation"]),
        ("Hold a multi-agency meeting before release for people with complex needs.", "Senior probation officer", ["multi-agency-working"]),
        ("Audit the recording of drug test results.", "Quality development officer", ["recording-quality"]),
        ("Make naloxone available in every approved premises, with residents shown where it is.", "Approved premises manager", ["naloxone", "accommodation"]),
    ]

    static let actions: [(String, String)] = [
        ("Add naloxone supply to the release checklist.", "Head of Healthcare"),
        ("Draft the information-sharing protocol and agree it with partners.", "Head of Reducing Reoffending"),
        ("Brief all practitioners on the learning from this review.", "Senior Probation Officer"),
        ("Run a training session on overdose risk after release.", "Learning and Development Lead"),
        ("Audit a sample of release plans for substance use content.", "Quality Development Officer"),
        ("Set up a weekly call between prison and community treatment teams.", "Treatment Service Manager"),
        ("Update the risk management plan template.", "Head of Public Protection"),
        ("Report progress to the local drug-related death panel.", "Drug-Related Death Coordinator"),
    ]

    static let reasons: [(ReasonCategory, String)] = [
        (.commissioning, "Supply in the community depends on the local authority contract."),
        (.policy, "National policy sets the release day; local discretion is limited."),
        (.operational, "Staffing does not allow the change before the service is restructured."),
        (.affordability, "There is no budget for the change this financial year."),
    ]

    static let updates = [
        "Drafted; awaiting governance sign-off.", "Discussed at the partnership board.", "Delayed by staff shortages.",
        "Pilot under way in one area.", "Completed and reported to the panel.",
    ]

    static let summaries = [
        "Released to temporary accommodation and found unresponsive some days later.",
        "Known to services for many years; reduced tolerance after a period in custody.",
        "Collapsed in a shared house; a friend called an ambulance and naloxone was given.",
        "Living alone after a relationship ended; found by a support worker.",
        "Recently discharged from hospital; had missed two probation appointments.",
    ]

    static let agencies = [
        "Probation Service", "Prison healthcare", "Community drug and alcohol service", "Police", "Local authority housing",
        "Adult social care", "Mental health trust", "Approved premises",
    ]
}
