/// One class of interchangeable forms that the canary trap may choose between.
///
/// Both alternatives mean the same thing; which one a copy shows is one bit of its fingerprint.
public struct CanaryVariantClass: Sendable, Hashable {
    /// The stable id of the class: its first alternative, lower-cased. It enters every context hash,
    /// so it must never change once copies have been served.
    public let id: String
    /// The two forms, lower-case, in a fixed order: alternative 0, then alternative 1.
    /// For the number class they are examples ("12,500" and "12500").
    public let alternatives: [String]
    /// True when only lower-case occurrences are slots.
    public let lowercaseOnly: Bool
    /// Words (lower-case) that, right before an occurrence, make it no slot.
    let notAfter: [String]
    /// Words (lower-case) that, right after an occurrence, make it no slot.
    let notBefore: [String]

    init(_ first: String, _ second: String, lowercaseOnly: Bool = false,
         notAfter: [String] = [], notBefore: [String] = []) {
        id = first
        alternatives = [first, second]
        self.lowercaseOnly = lowercaseOnly
        self.notAfter = notAfter
        self.notBefore = notBefore
    }
}

extension CanaryVariantClass {
    /// The class id of integers of five digits or more written with or without thousands commas.
    public static let numberClassId = "#,###"

    /// The built-in table; the number class is last.
    ///
    /// Order does not matter to the fingerprint (ids do), but ids must stay stable.
    static let table: [CanaryVariantClass] = words + [number]

    // why: a class belongs here only if swapping its two forms can never change what the text says.
    // Left out on purpose: licence/license and practise/practice (in British the second form is the
    // verb, so one direction writes a different word), programme/program (British uses "program" for
    // software), metre/meter (a meter is a device), tonne/ton (different units), enquiry/inquiry,
    // learnt/learned ("a learned man"), forward(s) and backward(s) (differ in meaning or part of
    // speech), onto/on to, anymore/any more, and "analyses" (also the plural of "analysis").
    private static let words: [CanaryVariantClass] = [
        // -ise / -isation (British first); every inflection is its own row.
        .init("organise", "organize"), .init("organises", "organizes"), .init("organised", "organized"),
        .init("organising", "organizing"), .init("organisation", "organization"),
        .init("organisations", "organizations"), .init("organisational", "organizational"),
        .init("reorganise", "reorganize"), .init("reorganised", "reorganized"),
        .init("reorganisation", "reorganization"),
        .init("recognise", "recognize"), .init("recognises", "recognizes"), .init("recognised", "recognized"),
        .init("recognising", "recognizing"), .init("recognisable", "recognizable"),
        .init("realise", "realize"), .init("realises", "realizes"), .init("realised", "realized"),
        .init("realising", "realizing"),
        .init("authorise", "authorize"), .init("authorises", "authorizes"), .init("authorised", "authorized"),
        .init("authorising", "authorizing"), .init("authorisation", "authorization"),
        .init("authorisations", "authorizations"), .init("unauthorised", "unauthorized"),
        .init("prioritise", "prioritize"), .init("prioritises", "prioritizes"), .init("prioritised", "prioritized"),
        .init("prioritising", "prioritizing"), .init("prioritisation", "prioritization"),
        .init("characterise", "characterize"), .init("characterises", "characterizes"),
        .init("characterised", "characterized"), .init("characterising", "characterizing"),
        .init("characterisation", "characterization"),
        .init("mobilise", "mobilize"), .init("mobilised", "mobilized"), .init("mobilising", "mobilizing"),
        .init("mobilisation", "mobilization"),
        .init("modernise", "modernize"), .init("modernised", "modernized"), .init("modernising", "modernizing"),
        .init("modernisation", "modernization"),
        .init("criticise", "criticize"), .init("criticises", "criticizes"), .init("criticised", "criticized"),
        .init("criticising", "criticizing"),
        .init("minimise", "minimize"), .init("minimised", "minimized"), .init("minimising", "minimizing"),
        .init("utilise", "utilize"), .init("utilised", "utilized"), .init("utilising", "utilizing"),
        .init("utilisation", "utilization"),
        .init("emphasise", "emphasize"), .init("emphasises", "emphasizes"), .init("emphasised", "emphasized"),
        .init("emphasising", "emphasizing"),
        .init("stabilise", "stabilize"), .init("stabilised", "stabilized"), .init("stabilising", "stabilizing"),
        .init("stabilisation", "stabilization"),
        .init("destabilise", "destabilize"), .init("destabilised", "destabilized"),
        .init("destabilising", "destabilizing"), .init("destabilisation", "destabilization"),
        .init("normalise", "normalize"), .init("normalised", "normalized"), .init("normalisation", "normalization"),
        .init("neutralise", "neutralize"), .init("neutralised", "neutralized"),
        .init("jeopardise", "jeopardize"), .init("jeopardised", "jeopardized"),
        .init("legitimise", "legitimize"), .init("finalise", "finalize"), .init("finalised", "finalized"),
        .init("summarise", "summarize"), .init("summarised", "summarized"),
        .init("radicalise", "radicalize"), .init("radicalised", "radicalized"),
        .init("radicalisation", "radicalization"),
        .init("militarise", "militarize"), .init("militarised", "militarized"),
        .init("militarisation", "militarization"), .init("demilitarised", "demilitarized"),
        .init("weaponise", "weaponize"), .init("weaponised", "weaponized"),
        .init("scrutinise", "scrutinize"), .init("synchronise", "synchronize"), .init("synchronised", "synchronized"),
        .init("standardise", "standardize"), .init("standardised", "standardized"),
        .init("maximise", "maximize"), .init("optimise", "optimize"),
        .init("categorise", "categorize"), .init("categorised", "categorized"),
        .init("centralise", "centralize"), .init("centralised", "centralized"), .init("decentralised", "decentralized"),
        .init("privatise", "privatize"), .init("privatisation", "privatization"), .init("harmonise", "harmonize"),
        .init("globalisation", "globalization"), .init("polarisation", "polarization"), .init("polarised", "polarized"),
        .init("apologise", "apologize"), .init("apologised", "apologized"), .init("specialised", "specialized"),
        .init("capitalise", "capitalize"), .init("publicise", "publicize"), .init("publicised", "publicized"),
        .init("sympathise", "sympathize"), .init("sympathiser", "sympathizer"), .init("sympathisers", "sympathizers"),
        .init("analyse", "analyze"), .init("analysed", "analyzed"), .init("analysing", "analyzing"),
        .init("paralyse", "paralyze"), .init("paralysed", "paralyzed"),

        // -our / -or
        .init("favour", "favor"), .init("favours", "favors"), .init("favoured", "favored"),
        .init("favourable", "favorable"), .init("unfavourable", "unfavorable"), .init("favourite", "favorite"),
        .init("honour", "honor"), .init("honours", "honors"), .init("honoured", "honored"),
        // why: capitalised "Labour", "Harbour" and "Grey" are mostly names (a party, a place, a person).
        .init("labour", "labor", lowercaseOnly: true), .init("labourers", "laborers", lowercaseOnly: true),
        .init("behaviour", "behavior"), .init("behaviours", "behaviors"), .init("behavioural", "behavioral"),
        .init("neighbour", "neighbor"), .init("neighbours", "neighbors"), .init("neighbouring", "neighboring"),
        .init("rumour", "rumor"), .init("rumours", "rumors"), .init("rumoured", "rumored"),
        .init("endeavour", "endeavor"), .init("endeavours", "endeavors"),
        .init("armour", "armor"), .init("armoured", "armored"),
        .init("harbour", "harbor", lowercaseOnly: true), .init("harbours", "harbors", lowercaseOnly: true),
        .init("harboured", "harbored"), .init("harbouring", "harboring"),
        .init("vigour", "vigor"), .init("rigour", "rigor"), .init("colour", "color"), .init("colours", "colors"),

        // -ence / -ense
        .init("defence", "defense"), .init("defences", "defenses"),
        .init("offence", "offense"), .init("offences", "offenses"), .init("pretence", "pretense"),

        // -re / -er
        .init("centre", "center"), .init("centres", "centers"), .init("centred", "centered"),
        .init("theatre", "theater"), .init("theatres", "theaters"),
        .init("kilometre", "kilometer"), .init("kilometres", "kilometers"),
        .init("litre", "liter"), .init("litres", "liters"),
        .init("calibre", "caliber"), .init("fibre", "fiber"), .init("sombre", "somber"),
        .init("meagre", "meager"), .init("spectre", "specter"),

        // doubled l
        .init("travelled", "traveled"), .init("travelling", "traveling"),
        .init("traveller", "traveler"), .init("travellers", "travelers"),
        .init("cancelled", "canceled"), .init("cancelling", "canceling"),
        .init("labelled", "labeled"), .init("labelling", "labeling"),
        .init("modelled", "modeled"), .init("modelling", "modeling"),
        .init("signalled", "signaled"), .init("signalling", "signaling"),
        .init("fuelled", "fueled"), .init("fuelling", "fueling"),
        .init("channelled", "channeled"), .init("levelled", "leveled"),
        .init("counselling", "counseling"), .init("marshalled", "marshaled"),

        // other spellings
        .init("judgement", "judgment"), .init("judgements", "judgments"),
        .init("acknowledgement", "acknowledgment"),
        .init("manoeuvre", "maneuver"), .init("manoeuvres", "maneuvers"), .init("manoeuvring", "maneuvering"),
        .init("sceptical", "skeptical"), .init("sceptics", "skeptics"), .init("scepticism", "skepticism"),
        .init("ageing", "aging"), .init("artefact", "artifact"), .init("artefacts", "artifacts"),
        .init("enrol", "enroll"), .init("enrolment", "enrollment"),
        .init("fulfil", "fulfill"), .init("fulfilment", "fulfillment"), .init("instalment", "installment"),
        .init("skilful", "skillful"), .init("wilful", "willful"),
        .init("grey", "gray", lowercaseOnly: true),

        // function words
        .init("towards", "toward"), .init("amongst", "among"), .init("amidst", "amid"),
        .init("afterwards", "afterward"), .init("upwards", "upward"), .init("downwards", "downward"),
        // why: "while" is also a noun ("for a while", "worth your while") and a verb ("while away");
        // "whilst" is only the conjunction.
        .init("whilst", "while",
              notAfter: ["a", "the", "this", "that", "worth", "little", "short", "long", "good", "great",
                         "quite", "some", "whole", "mean", "every"],
              notBefore: ["away"]),

        // compounds: hyphenated, closed, or two words
        .init("e-mail", "email"), .init("e-mails", "emails"), .init("e-mailed", "emailed"),
        .init("co-operate", "cooperate"), .init("co-operates", "cooperates"), .init("co-operated", "cooperated"),
        .init("co-operating", "cooperating"), .init("co-operation", "cooperation"),
        .init("co-operative", "cooperative"),
        .init("co-ordinate", "coordinate"), .init("co-ordinates", "coordinates"),
        .init("co-ordinated", "coordinated"), .init("co-ordinating", "coordinating"),
        .init("co-ordination", "coordination"), .init("co-ordinator", "coordinator"),
        .init("co-ordinators", "coordinators"),
        .init("re-establish", "reestablish"), .init("re-established", "reestablished"),
        .init("re-establishing", "reestablishing"),
        .init("re-elected", "reelected"), .init("re-election", "reelection"),
        .init("re-emerge", "reemerge"), .init("re-emerged", "reemerged"),
        .init("re-evaluate", "reevaluate"), .init("re-examine", "reexamine"),
        .init("counter-terrorism", "counterterrorism"), .init("counter-intelligence", "counterintelligence"),
        .init("counter-measures", "countermeasures"),
        .init("cyber-attack", "cyberattack"), .init("cyber-attacks", "cyberattacks"),
        .init("non-proliferation", "nonproliferation"), .init("pre-emptive", "preemptive"),
        .init("air-strike", "airstrike"), .init("air-strikes", "airstrikes"),
        .init("per cent", "percent"),
    ]

    // why: only five digits or more, because four-digit numbers are usually years ("in 2023" must not
    // become "in 2,023"); the scanner adds the guards against codes, phone numbers and identifiers.
    private static let number = CanaryVariantClass(numberClass: numberClassId)
}

extension CanaryVariantClass {
    fileprivate init(numberClass id: String) {
        self.id = id
        alternatives = ["12,500", "12500"]
        lowercaseOnly = false
        notAfter = []
        notBefore = []
    }
}

extension Canary {
    /// The built-in classes of equivalent forms (the last one is the number class).
    public static var variantClasses: [CanaryVariantClass] { CanaryVariantClass.table }
}
