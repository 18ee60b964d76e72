#!/usr/bin/env python3
"""Writes Sources/TearlineServer/Resources/openapi.json, the OpenAPI 3.1 description of the API
(or the path given as the first argument).

Edit this file when a route changes, run it, and commit both. A test checks the document
against the routes the server really registers; openapi-spec-validator checks it in CI.
"""
import json
import pathlib
import sys

def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}

def arr(schema):
    return {"type": "array", "items": schema}

S = {"type": "string"}
I = {"type": "integer"}
B = {"type": "boolean"}
NS = {"type": ["string", "null"]}
T = {"type": "string", "format": "date-time"}

def obj(props, required=None, additional=False):
    o = {"type": "object", "properties": props, "additionalProperties": additional}
    if required:
        o["required"] = required
    return o

schemas = {
    "Problem": obj({
        "type": {"type": "string", "format": "uri", "description": "Stable problem type, e.g. https://tearline.dev/problems/denied"},
        "title": S, "status": I, "detail": S,
        "reasons": {"type": "array", "items": ref("DenialReason")},
        "withheld": arr(ref("Withheld")),
        "consentRequestId": S, "part": {"type": "string", "description": "The offending part of a malformed marking."},
        "field": {"type": "string", "description": "Where the malformed marking is in the request body, for example portions[2].marking."},
    }, ["type", "title", "status", "detail"]),
    "DenialReason": {"type": "string", "enum": [
        "no-access-path", "release-revoked", "partnership-suspended", "portion-not-released", "trust-ceiling",
        "clearance", "compartments", "need-to-know", "member-throttled", "member-suspended", "no-partnership",
        "sources-and-methods", "noforn", "not-rel-to", "orcon-not-approved", "tlp-red", "self-release",
        "third-party-rule", "role-required", "marking-above-author", "bad-signature", "imposed-by-partner",
        "grant-above-granter", "conflict-of-interest"]},
    "Withheld": obj({"index": I, "reasons": arr(ref("DenialReason"))}, ["index", "reasons"]),
    "CreateOrganization": obj({"id": {"type": "string", "pattern": "^[A-Z][A-Z0-9-]{0,15}$"}, "name": S,
                               "kind": {"type": "string", "enum": ["state", "agency", "international"]}},
                              ["id", "name", "kind"]),
    "Organization": obj({"id": S, "name": S, "kind": S, "publicKey": {"type": "string", "description": "Ed25519 public key, base64"},
                         "hostedElsewhere": {"type": "boolean", "description": "True for a partner hosted on another node: this node holds its public key only."},
                         "createdAt": T}, ["id", "name", "kind", "publicKey", "hostedElsewhere", "createdAt"]),
    "CreateMember": obj({"name": S, "roles": arr({"type": "string", "enum": ["analyst", "releaser", "security", "liaison", "admin"]}),
                         "clearance": {"type": "string", "description": "UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP SECRET"},
                         "compartments": arr(S), "topics": arr(S), "secondedTo": NS},
                        ["name", "roles", "clearance"]),
    "UpdateMember": obj({"status": {"type": "string", "enum": ["active", "suspended"]}}),
    "Member": obj({"id": S, "organization": S, "name": S, "roles": arr(S), "clearance": S, "compartments": arr(S),
                   "topics": arr(S), "status": S, "throttled": B, "secondedTo": S, "createdAt": T},
                  ["id", "organization", "name", "roles", "clearance", "compartments", "topics", "status", "throttled", "createdAt"]),
    "CreatedMember": obj({"member": ref("Member"), "token": {"type": "string", "description": "The API token, shown once."}},
                         ["member", "token"]),
    "Identity": obj({"nodeAdmin": B, "member": ref("Member"),
                     "restricted": {"type": "boolean", "description": "Whether the member is throttled or suspended, so that every route but this one refuses it."},
                     "restriction": {"type": "string", "description": "Why the member is restricted and who can end it; absent when not restricted."}},
                    ["nodeAdmin", "restricted"]),
    "CreatePartnership": obj({"organizations": {"type": "array", "items": S, "minItems": 2, "maxItems": 2},
                              "kind": {"type": "string", "enum": ["peer", "hierarchical"]}, "dominant": NS,
                              "trustLevel": {"type": "string", "enum": ["none", "minimal", "limited", "low", "high", "full"],
                                             "description": "Each side's starting trust in the other; each side then sets its own."},
                              "status": {"type": "string", "enum": ["active", "suspended"],
                                         "description": "suspended: both sides start suspended, and each lifts its own suspension."}},
                             ["organizations", "kind", "trustLevel"]),
    "UpdatePartnership": obj({"status": {"type": "string", "enum": ["active", "suspended"],
                                         "description": "suspended: the caller's side suspends; active: the caller's side lifts its own suspension."},
                              "trustLevel": {"type": "string", "enum": ["none", "minimal", "limited", "low", "high", "full"],
                                             "description": "The caller's side's trust in the other side."},
                              "reason": {"type": "string", "description": "Why; kept in the partnership's trust history."},
                              "side": {"type": "string", "description": "The node administrator only: the side hosted here it acts for "
                                       "(required when both sides are hosted here)."}}),
    "Partnership": obj({"id": S, "organizations": arr(S), "kind": S, "dominant": S,
                        "trust": {"type": "object", "additionalProperties": S,
                                  "description": "Each side's trust in the other, by side."},
                        "trustLevel": {"type": "string", "description": "The caller's organisation's trust in the other side (members only)."},
                        "ceiling": {"type": "string", "description": "Highest classification the caller's organisation releases over it; absent when none."},
                        "partnerTrustLevel": {"type": "string", "description": "The other side's trust in the caller's organisation (members only)."},
                        "status": {"type": "string", "enum": ["active", "suspended"],
                                   "description": "suspended while either side's suspension stands."},
                        "suspendedBy": arr(S), "createdAt": T, "updatedAt": T},
                       ["id", "organizations", "kind", "trust", "status", "suspendedBy", "createdAt", "updatedAt"]),
    "PortionInput": obj({"marking": {"type": "string", "description": "Portion mark, e.g. (S//REL TO USA, GBR)"}, "text": S,
                         "sourcesAndMethods": B}, ["marking", "text"]),
    "EntityInput": obj({"type": S, "value": S, "portion": I}, ["type", "value", "portion"]),
    "CreateReport": obj({"title": S, "titleMarking": S, "sourceGrade": {"type": "string", "pattern": "^[A-F][1-6]$"},
                         "topics": arr(S), "portions": arr(ref("PortionInput")), "entities": arr(ref("EntityInput")),
                         "discoverability": ref("DiscoverabilityScope"), "discoverableTo": arr(S)},
                        ["title", "titleMarking", "sourceGrade", "topics", "portions"]),
    "DiscoverabilityScope": {"type": "string", "enum": ["none", "own-organisation", "partners", "all-partners"],
                             "description": "Who may learn of the report through pointers (default own-organisation)."},
    "Discoverability": obj({"discoverability": ref("DiscoverabilityScope"), "discoverableTo": arr(S)}, ["discoverability"]),
    "DiscoverabilityResult": obj({"reportId": S, "discoverability": ref("DiscoverabilityScope"), "discoverableTo": arr(S)},
                                 ["reportId", "discoverability"]),
    "EntityRef": obj({"kind": {"type": "string", "description": "person, organization, location, vessel, phone, email, ipv4, ipv6, "
                                                             "domain, url, file-hash, account, or a free type [a-z0-9-]{1,32}"},
                      "value": S}, ["kind", "value"]),
    "EntitySearch": obj({"kind": S, "value": S, "cursor": S, "limit": {"type": "integer", "minimum": 1, "maximum": 50}}, ["kind", "value"]),
    "HitPortion": obj({"index": I, "marking": S, "text": S}, ["index", "marking", "text"]),
    "SearchHit": obj({"kind": {"type": "string", "enum": ["report", "release"]}, "id": S, "originator": S, "title": S,
                      "portions": arr(ref("HitPortion"))}, ["kind", "id", "originator", "portions"]),
    "Pointer": obj({"holder": S, "count": I, "handle": {"type": "string", "description": "Opaque; use it to request access."}},
                   ["holder", "count", "handle"]),
    "EntitySearchResult": obj({"entity": ref("EntityRef"), "hits": arr(ref("SearchHit")), "hitCount": I,
                               "pointers": arr(ref("Pointer")), "next": S}, ["entity", "hits", "hitCount", "pointers"]),
    "RelatedEntitiesRequest": obj({"kind": S, "value": S, "limit": {"type": "integer", "minimum": 1, "maximum": 100}}, ["kind", "value"]),
    "RelatedEntities": obj({"entity": ref("EntityRef"), "related": arr(obj({"entity": ref("EntityRef"), "count": I}, ["entity", "count"]))},
                           ["entity", "related"]),
    "ChainsRequest": obj({"from": ref("EntityRef"), "to": ref("EntityRef"), "maxDepth": {"type": "integer", "minimum": 1, "maximum": 4}},
                         ["from", "to"]),
    "ChainLink": obj({"from": ref("EntityRef"), "to": ref("EntityRef"), "via": {"type": "string", "enum": ["document", "pointer"]},
                      "documentKind": {"type": "string", "enum": ["report", "release"]}, "documentId": S, "pointer": ref("Pointer"),
                      "holder": {"type": "string", "description": "Whose holding the link goes through: the document's originator, or the pointer's holder."}},
                     ["from", "to", "via"]),
    "Chains": obj({"from": ref("EntityRef"), "to": ref("EntityRef"), "length": I, "chains": arr(arr(ref("ChainLink"))), "truncated": B},
                  ["from", "to", "length", "chains", "truncated"]),
    "TrackRecord": obj({"mean": {"type": "number"}, "low": {"type": "number", "description": "95% credible interval, lower end"},
                        "high": {"type": "number"}, "judged": I, "confirmed": I, "partlyConfirmed": I, "refuted": I, "cannotJudge": I},
                       ["mean", "low", "high", "judged", "confirmed", "partlyConfirmed", "refuted", "cannotJudge"]),
    "TrackRecordResult": obj({"organization": S, "overall": ref("TrackRecord"),
                              "byTopic": {"type": "object", "additionalProperties": ref("TrackRecord")}},
                             ["organization", "overall", "byTopic"]),
    "FeedbackInput": obj({"verdict": {"type": "string", "enum": ["confirmed", "partly-confirmed", "refuted", "cannot-judge"]}, "note": S},
                         ["verdict"]),
    "Feedback": obj({"id": S, "releaseId": S, "organization": S, "member": S, "verdict": S, "note": S, "createdAt": T},
                    ["id", "releaseId", "organization", "verdict", "createdAt"]),
    "BreachInput": obj({"against": S, "kind": {"type": "string", "enum": ["leak-traced", "refused-forward", "consent-violation"]}, "detail": S},
                       ["against", "kind", "detail"]),
    "Breach": obj({"id": S, "against": S, "kind": S, "detail": S, "response": {"type": "string", "enum": ["recommended", "applied"]},
                   "trustLevel": S, "at": T}, ["id", "against", "kind", "detail", "response", "trustLevel", "at"]),
    "TrustChange": obj({"changedBy": S, "organization": S, "fromTrust": S, "toTrust": S, "fromStatus": S, "toStatus": S, "reason": S, "at": T},
                       ["changedBy", "fromTrust", "toTrust", "fromStatus", "toStatus", "reason", "at"]),
    "PartnershipHistory": obj({"partnership": S, "trust": {"type": "object", "additionalProperties": S}, "trustLevel": S,
                               "partnerTrustLevel": S, "status": S, "suspendedBy": arr(S),
                               "trustChanges": arr(ref("TrustChange")), "breaches": arr(ref("Breach"))},
                              ["partnership", "trust", "status", "suspendedBy", "trustChanges", "breaches"]),
    "BreachPolicy": obj({"response": {"type": "string", "enum": ["recommend", "automatic"]}}, ["response"]),
    "BreachPolicyResult": obj({"organization": S, "response": S}, ["organization", "response"]),
    "WhatIf": obj({"partner": S, "currentTrustLevel": S, "trustLevel": S, "releasesAffected": I, "portionsLost": I,
                   "releases": arr(obj({"releaseId": S, "lostPortions": arr(I), "keptPortions": arr(I)}, ["releaseId", "lostPortions", "keptPortions"]))},
                  ["partner", "currentTrustLevel", "trustLevel", "releasesAffected", "portionsLost", "releases"]),
    "Interests": obj({"topics": arr(S)}, ["topics"]),
    "InterestsResult": obj({"organization": S, "topics": arr(S)}, ["organization", "topics"]),
    "Term": obj({"id": S, "askedBy": S, "owedBy": S, "releaseId": S, "rfiId": S, "text": S,
                 "status": {"type": "string", "enum": ["open", "met", "declined"]}, "createdAt": T},
                ["id", "askedBy", "owedBy", "text", "status", "createdAt"]),
    "TermUpdate": obj({"status": {"type": "string", "enum": ["met", "declined"]}}, ["status"]),
    "RFIInput": obj({"to": S, "question": S, "terms": S}, ["to", "question"]),
    "RFIAnswer": obj({"releaseId": S}, ["releaseId"]),
    "RFI": obj({"id": S, "requester": S, "responder": S, "question": S, "status": {"type": "string", "enum": ["open", "answered", "declined"]},
                "answerReleaseId": S, "terms": arr(ref("Term")), "createdAt": T},
               ["id", "requester", "responder", "question", "status", "terms", "createdAt"]),
    "ExchangeTotals": obj({"releases": I, "value": {"type": "number"}}, ["releases", "value"]),
    "PartnerRow": obj({"partner": S, "partnership": S, "kind": S, "trustLevel": S, "partnerTrustLevel": S, "status": S,
                       "suspendedBy": arr(S), "sharedInterests": arr(S),
                       "given": ref("ExchangeTotals"), "received": ref("ExchangeTotals"), "balance": {"type": "number"},
                       "openTermsOwedToUs": I, "openTermsOwedByUs": I, "partnerTrackRecord": ref("TrackRecord"),
                       "ourTrackRecordWithPartner": ref("TrackRecord"), "breachesByPartner": I, "breachesByUs": I},
                      ["partner", "partnership", "kind", "trustLevel", "partnerTrustLevel", "status", "suspendedBy", "sharedInterests",
                       "given", "received", "balance",
                       "openTermsOwedToUs", "openTermsOwedByUs", "partnerTrackRecord", "ourTrackRecordWithPartner", "breachesByPartner", "breachesByUs"]),
    "ExchangePoint": obj({"at": T, "given": {"type": "number"}, "received": {"type": "number"}, "balance": {"type": "number"}},
                         ["at", "given", "received", "balance"]),
    "ReleaseSuggestion": obj({"reportId": S, "title": S, "matchingTopics": arr(S), "portions": arr(I), "banner": S, "value": {"type": "number"}},
                             ["reportId", "matchingTopics", "portions", "banner", "value"]),
    "Corroboration": obj({"independentOriginators": I, "originators": arr(S)}, ["independentOriginators", "originators"]),
    "CreateAccessRequest": obj({"handle": S, "justification": S}, ["handle", "justification"]),
    "AccessGrant": obj({"reports": arr(S)}),
    "AccessRequest": obj({"id": S, "requester": S, "requesterOrganization": S, "holder": S, "entity": ref("EntityRef"), "justification": S,
                          "status": {"type": "string", "enum": ["pending", "granted", "denied"]}, "createdAt": T, "decidedBy": S,
                          "decidedAt": T, "reports": arr(S), "releases": arr(S), "grantedReports": arr(S)},
                         ["id", "requester", "requesterOrganization", "holder", "justification", "status", "createdAt"]),
    "Notification": obj({"id": S, "kind": {"type": "string", "description": "correlation, access-request.received, access-request.granted, access-request.denied"},
                         "createdAt": T,
                         "detail": obj({"document": S, "entity": ref("EntityRef"), "pointers": arr(ref("Pointer")), "ownHits": I,
                                        "accessRequest": S, "status": S, "releases": arr(S), "grantedReports": arr(S)})},
                        ["id", "kind", "createdAt", "detail"]),
    "Portion": obj({"index": I, "marking": S, "text": S, "sourcesAndMethods": B}, ["index", "marking", "text", "sourcesAndMethods"]),
    "Entity": obj({"type": S, "value": S, "portion": I}, ["type", "value", "portion"]),
    "DocumentView": obj({"id": S, "kind": {"type": "string", "enum": ["report", "release"]}, "reportId": S, "originator": S,
                         "recipient": S, "title": S, "titleMarking": S, "banner": S, "sourceGrade": S, "topics": arr(S),
                         "portions": arr(ref("Portion")), "entities": arr(ref("Entity")), "withheldPortions": I,
                         "revoked": B, "createdAt": T, "corroboration": ref("Corroboration"),
                         "trackRecord": ref("TrackRecord")},
                        ["id", "kind", "reportId", "originator", "banner", "sourceGrade", "topics", "portions", "entities",
                         "withheldPortions", "createdAt"]),
    "ReleasePreview": obj({"reportId": S, "recipient": S, "original": ref("DocumentView"), "portions": arr(I), "titleIncluded": B,
                           "banner": S, "withheld": arr(ref("Withheld")), "orconPending": arr(I)},
                          ["reportId", "recipient", "original", "portions", "titleIncluded", "withheld", "orconPending"]),
    "DocumentList": obj({"items": arr(ref("DocumentView")), "next": S}, ["items"]),
    "CreateRelease": obj({"recipient": S, "approveOrcon": B, "terms": {"type": "string", "description": "A concession asked in return, owed by the recipient."}}, ["recipient"]),
    "ReleaseResult": obj({"id": S, "reportId": S, "originator": S, "recipient": S, "banner": S, "portions": arr(I),
                          "titleIncluded": B, "withheld": arr(ref("Withheld")), "signature": S, "createdAt": T,
                          "consentRequestId": S, "terms": ref("Term")},
                         ["id", "reportId", "originator", "recipient", "banner", "portions", "titleIncluded", "withheld",
                          "signature", "createdAt"]),
    "ReleaseSummary": obj({"id": S, "reportId": S, "recipient": S, "banner": S, "portions": arr(I), "revoked": B, "createdAt": T},
                          ["id", "reportId", "recipient", "banner", "portions", "revoked", "createdAt"]),
    "Forward": obj({"recipient": S}, ["recipient"]),
    "ConsentRequest": obj({"id": S, "releaseId": S, "reportId": S, "originator": S, "holder": S, "target": S, "requestedBy": S,
                           "status": {"type": "string", "enum": ["pending", "granted", "denied"]}, "createdAt": T,
                           "decidedBy": S, "decidedAt": T, "resultingReleaseId": S},
                          ["id", "releaseId", "reportId", "originator", "holder", "target", "requestedBy", "status", "createdAt"]),
    "ConsentDecision": obj({"decision": {"type": "string", "enum": ["grant", "deny"]}}, ["decision"]),
    "CreateGrant": obj({"member": S, "report": S, "release": S}, ["member"]),
    "Grant": obj({"member": S, "report": S}, ["member", "report"]),
    "Verification": obj({"id": S, "kind": S, "originator": S, "valid": B, "algorithm": {"type": "string", "const": "Ed25519"},
                         "publicKey": S, "signature": S, "contentDigest": S},
                        ["id", "kind", "originator", "valid", "algorithm", "publicKey", "signature", "contentDigest"]),
    "AuditEvent": obj({"seq": I, "at": T, "actor": S, "organization": S, "concerns": S, "action": S, "object": S,
                       "decision": {"type": "string", "enum": ["allow", "deny"]}, "reasons": arr(S), "detail": S,
                       "hash": {"type": "string", "description": "The entry's SHA-256 in the hash chain, hex."}},
                      ["seq", "at", "action", "decision", "reasons"]),
    "AuditPage": obj({"items": arr(ref("AuditEvent")), "next": S}, ["items"]),
    "AccessReceipts": obj({"originator": S, "holder": S, "granularity": {"type": "string", "enum": ["member", "organization"]},
                           "counts": {"type": "object", "additionalProperties": I}, "events": arr(ref("AuditEvent"))},
                          ["originator", "holder", "granularity", "counts", "events"]),
    "Alert": obj({"id": S, "organization": S, "member": {"type": "string", "description": "The member the alert is about."},
                  "kind": {"type": "string", "enum": ["member-throttled"]}, "detail": S, "createdAt": T,
                  "resolvedBy": S, "resolvedAt": T},
                 ["id", "organization", "member", "kind", "detail", "createdAt"]),
    "Trace": obj({"text": {"type": "string", "description": "The leaked text, as found (at most 1 MiB)."},
                  "showWeak": {"type": "boolean", "description": "On an inconclusive trace, show the best candidate anyway, marked weak (default false)."}},
                 ["text"]),
    "TraceCandidate": obj({"document": S, "organization": S,
                           "member": {"type": "string", "description": "Named only where the caller may know it; on the runner-up of a "
                                                                       "conclusive trace, only when weak candidates were asked for."},
                           "matches": I, "observed": I, "score": {"type": "number"},
                           "chance": {"type": "number", "description": "Probability that a random copy would match this well."},
                           "weak": {"type": "boolean", "description": "True when the evidence falls short of naming this copy "
                                                                      "(an inconclusive trace's candidate, or the runner-up)."}},
                          ["document", "organization", "matches", "observed", "score", "chance", "weak"]),
    "TraceResult": obj({"conclusive": {"type": "boolean", "description": "Whether the evidence names a copy: the chance that some candidate "
                                       "copy matches as well by accident is at most the threshold, and no other candidate clears it."},
                        "verdict": {"type": "string", "enum": ["conclusive", "inconclusive"]},
                        "chance": {"type": "number", "description": "The best candidate's chance times the number of candidates "
                                                                    "(at most 1; 1 when nothing matches)."},
                        "threshold": {"type": "number", "description": "The chance at or below which a trace is conclusive: 1e-6."},
                        "observed": I, "scored": I,
                        "best": dict(ref("TraceCandidate"), description="The source copy of a conclusive trace; absent when inconclusive "
                                                                        "unless showWeak, then marked weak."),
                        "runnerUp": dict(ref("TraceCandidate"), description="The next most likely copy, to show the margin; always weak.")},
                       ["conclusive", "verdict", "chance", "threshold", "observed", "scored"]),
    "Health": obj({"status": S, "storage": {"type": "string", "enum": ["ok", "storage-full", "storage-read-only", "storage-error"],
                                            "description": "A storage fault seen since the last committed write, if any."}},
                  ["status", "storage"]),
    "Readiness": obj({"status": {"type": "string", "enum": ["ready", "not-ready"]},
                      "checks": obj({"store": S, "migrations": S, "storage": S, "lifecycle": S}, ["store", "migrations", "storage", "lifecycle"])},
                     ["status", "checks"]),
    "FederationExchange": obj({
        "organization": {"type": "string", "description": "The organisation the calling node acts for; its node key must be pinned for it here."},
        "receipts": arr(obj({"seq": I, "at": I, "actor": S, "action": {"type": "string", "description": "A release.* action."},
                             "release": S, "decision": {"type": "string", "enum": ["allow", "deny"]}, "reasons": arr(S), "detail": S},
                            ["seq", "at", "action", "release", "decision", "reasons"])),
        "feedback": arr(obj({"id": S, "release": S, "verdict": {"type": "string", "enum": ["confirmed", "partly-confirmed", "refuted", "cannot-judge"]},
                             "note": S, "at": I}, ["id", "release", "verdict", "at"])),
        "consentRequests": arr(obj({"id": S, "release": S, "target": S, "requestedBy": S, "at": I}, ["id", "release", "target", "requestedBy", "at"])),
        "refused": arr(obj({"release": S, "reason": S}, ["release", "reason"])),
        "accessRequests": arr(obj({"id": S, "holder": S, "epoch": I, "tag": {"type": "string", "description": "The discovery set entry's tag, base64."},
                                   "requestedBy": S, "justification": S, "at": I},
                                  ["id", "holder", "epoch", "tag", "requestedBy", "justification", "at"])),
    }, ["organization", "receipts", "feedback", "consentRequests", "refused"]),
    "FederationExchangeReply": obj({
        "partnerships": arr(obj({"originator": S, "status": {"type": "string", "enum": ["active", "suspended"]}, "trust": S},
                                ["originator", "status", "trust"])),
        "revoked": arr(obj({"release": S, "at": I}, ["release", "at"])),
        "consentDecisions": arr(obj({"id": S, "status": {"type": "string", "enum": ["granted", "denied"]}, "resultingRelease": S, "at": I},
                                    ["id", "status"])),
        "accessDecisions": arr(obj({"id": S, "status": {"type": "string", "enum": ["granted", "denied", "stale"]}, "releases": arr(S), "at": I},
                                   ["id", "status", "releases"])),
    }, ["partnerships", "revoked", "consentDecisions"]),
    "PartnerSearch": obj({"kind": S, "value": S}, ["kind", "value"]),
    "PartnerSearchResult": obj({
        "entity": ref("EntityRef"),
        "pointers": arr(obj({"node": {"type": "string", "description": "The partner node, by the organisation registered for it here."},
                             "holder": S, "count": I,
                             "handle": {"type": "string", "description": "Opaque; use it to request access (decided on the holder's node)."}},
                            ["node", "holder", "count", "handle"])),
        "nodes": arr(obj({"node": S, "status": {"type": "string", "enum": ["searched", "budget-exhausted", "refused-evaluation", "stale-set", "unreachable"]}},
                         ["node", "status"])),
    }, ["entity", "pointers", "nodes"]),
    "DiscoveryEvaluate": obj({"organization": S, "epoch": I,
                              "elements": dict(arr({"type": "string", "description": "A blinded element: a compressed P-384 point (49 bytes), base64."}),
                                               minItems=1, maxItems=16)},
                             ["organization", "epoch", "elements"]),
    "DiscoveryEvaluateReply": obj({"epoch": I, "evaluations": arr({"type": "string", "description": "Evaluated element and DLEQ proof (RFC 9497), base64."}),
                                   "remaining": I}, ["epoch", "evaluations", "remaining"]),
}

def problem(desc):
    return {"description": desc, "content": {"application/problem+json": {"schema": ref("Problem")}}}

def ok(schema, desc="OK"):
    return {"description": desc, "content": {"application/json": {"schema": schema}}}

def body(name):
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}

E400 = problem("Invalid request: malformed JSON, unknown field, wrong type, bad marking or identifier. Nothing is written.")
E401 = problem("Missing or invalid bearer token.")
E403 = problem("Denied, with machine-readable reasons.")
E404 = problem("No such resource, or one the caller may not know exists.")
E409 = problem("Conflict with the current state.")
E413 = problem("Body larger than 1 MiB.")
E415 = problem("Body is not application/json.")
def throttled(desc):
    return {"description": desc,
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds: the throttle window."}},
            "content": {"application/problem+json": {"schema": ref("Problem")}}}

E429 = throttled("The member is throttled for bulk access (until a security member lifts it); see Retry-After.")
# The restricted-member gate: a suspended or throttled member is refused on every member route but GET /v1/me.
# op() adds these to each authenticated operation that does not describe its own 403 or 429.
GATE403 = problem("Denied, with machine-readable reasons; a suspended member gets this on every route but GET /v1/me (reason member-suspended).")
GATE429 = throttled("The member is throttled: every route but GET /v1/me answers 429 (problem type member-throttled, reason member-throttled) "
                    "until a security member the throttled member did not appoint, or the node administrator, lifts it; see Retry-After.")
TEXT = {"description": "OK", "content": {"text/plain": {"schema": S}}}

def op(summary, responses, *, body_name=None, params=None, auth=True, gated=True, tag=None, op_id=None, description=None):
    """gated=False: the one route the restricted-member gate lets through (GET /v1/me)."""
    o = {"summary": summary, "operationId": op_id, "responses": responses}
    if tag:
        o["tags"] = [tag]
    if body_name:
        o["requestBody"] = body(body_name)
        o["responses"].update({"400": E400, "413": E413, "415": E415})
    if params:
        o["parameters"] = params
    if auth:
        o["responses"]["401"] = E401
        if gated:
            o["responses"].setdefault("403", GATE403)
            o["responses"].setdefault("429", GATE429)
    else:
        o["security"] = []
    if description:
        o["description"] = description
    return o

def path_param(name, desc):
    return {"name": name, "in": "path", "required": True, "schema": S, "description": desc}

def query(name, desc, schema=S, required=False):
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": desc}

PAGING = [query("cursor", "Opaque cursor from a previous page's `next`."),
          query("limit", "Page size, 1–200 (default 50).", {"type": "integer", "minimum": 1, "maximum": 200})]
ID = [path_param("id", "Identifier.")]

paths = {
    "/healthz": {"get": op("Liveness check: the process answers (it also shows an outstanding storage fault)", {"200": ok(ref("Health"))},
                           auth=False, tag="node", op_id="health")},
    "/readyz": {"get": op("Readiness check: the store answers, its schema is current, no storage fault is outstanding, and the node is not "
                          "shutting down", {"200": ok(ref("Readiness")),
                                            "503": {"description": "Not ready; the body says which check failed. Retry after Retry-After.",
                                                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                                                    "content": {"application/json": {"schema": ref("Readiness")}}}},
                          auth=False, tag="node", op_id="ready")},
    "/openapi.json": {"get": op("This document", {"200": ok({"type": "object"})}, auth=False, tag="node", op_id="openapi")},
    "/v1/organizations": {
        "post": op("Create an organisation with a new Ed25519 signing key (node admin)",
                   {"201": ok(ref("Organization"), "Created"), "403": E403, "409": E409},
                   body_name="CreateOrganization", tag="organizations", op_id="createOrganization"),
        "get": op("Organisations the caller may know of: its own and its partners (all for the node admin)",
                  {"200": ok(arr(ref("Organization")))}, tag="organizations", op_id="listOrganizations"),
    },
    "/v1/organizations/{id}": {"get": op("One organisation and its public key", {"200": ok(ref("Organization")), "404": E404},
                                         params=ID, tag="organizations", op_id="getOrganization")},
    "/v1/organizations/{id}/members": {
        "post": op("Create a member; the API token is returned once (node admin or the organisation's admin)",
                   {"201": ok(ref("CreatedMember"), "Created"),
                    "403": problem("Denied: not an admin of the organisation (role-required), or a clearance or compartment above the "
                                   "granting member's own (grant-above-granter). The node administrator is exempt, and its exemption is audited."),
                    "404": problem("No such organisation, or one the caller may not know of (answered alike).")},
                   body_name="CreateMember", params=ID, tag="members", op_id="createMember"),
        "get": op("The organisation's members (node admin, or its admin and security members)",
                  {"200": ok(arr(ref("Member"))), "403": E403, "404": E404}, params=ID, tag="members", op_id="listMembers"),
    },
    "/v1/members/{id}": {"patch": op("Suspend or reactivate a member (node admin or the organisation's admin)",
                                     {"200": ok(ref("Member")), "403": E403, "404": E404},
                                     body_name="UpdateMember", params=ID, tag="members", op_id="updateMember")},
    "/v1/me": {"get": op("Who the bearer token belongs to", {"200": ok(ref("Identity"))}, gated=False, tag="members", op_id="me",
                         description="Answers even a throttled or suspended member (every other route refuses it), saying why in "
                                     "`restricted` and `restriction`.")},
    "/v1/partnerships": {
        "post": op("Create a partnership (node admin)", {"201": ok(ref("Partnership"), "Created"), "403": E403, "409": E409},
                   body_name="CreatePartnership", tag="partnerships", op_id="createPartnership"),
        "get": op("Partnerships of the caller's organisation (all for the node admin)", {"200": ok(arr(ref("Partnership")))},
                  tag="partnerships", op_id="listPartnerships"),
    },
    "/v1/partnerships/{id}": {"patch": op(
        "Change the caller's side's stance: its trust in the other side, or its own suspension. Trust is directional and "
        "only its side changes it; a suspension stands until the side that imposed it lifts it (403 imposed-by-partner "
        "otherwise). Takes effect at once on every release over it. A side's admin; the node administrator for a side hosted here.",
        {"200": ok(ref("Partnership")), "400": E400, "403": E403, "404": E404},
        body_name="UpdatePartnership", params=ID, tag="partnerships", op_id="updatePartnership")},
    "/v1/reports": {
        "post": op("Write a report, signed by the originator organisation (analyst or releaser; no portion above the author's access)",
                   {"201": ok(ref("DocumentView"), "Created"), "403": E403},
                   body_name="CreateReport", tag="reports", op_id="createReport"),
        "get": op("The organisation's reports the caller may read, as summaries (no portion text)",
                  {"200": ok(ref("DocumentList")), "400": E400, "403": E403, "429": E429}, params=PAGING, tag="reports", op_id="listReports"),
    },
    "/v1/reports/{id}": {"get": op("Read a report: only readable portions, the banner of what is shown, the count withheld; 404 when nothing is readable",
                                   {"200": ok(ref("DocumentView")), "404": E404, "429": E429}, params=ID, tag="reports", op_id="getReport")},
    "/v1/reports/{id}/export": {"get": op(
        "A report as plain text (banner, title, portion-marked paragraphs), fingerprinted for the caller; counts as an export",
        {"200": TEXT, "404": E404, "429": E429}, params=ID, tag="reports", op_id="exportReport")},
    "/v1/reports/{id}/verify": {"get": op("Verify the originator's signature on a report", {"200": ok(ref("Verification")), "404": E404, "429": E429},
                                          params=ID, tag="reports", op_id="verifyReport")},
    "/v1/reports/{id}/releases": {
        "post": op("Release to a partner (releaser of the originator). Only allowed portions go; ORCON needs approveOrcon.",
                   {"201": ok(ref("ReleaseResult"), "Created"), "403": E403, "404": E404, "429": E429},
                   body_name="CreateRelease", params=ID, tag="releases", op_id="createRelease"),
        "get": op("Releases of one report (originator's releasers, security, admin)",
                  {"200": ok(arr(ref("ReleaseSummary"))), "403": E403, "404": E404, "429": E429}, params=ID, tag="releases", op_id="listReportReleases"),
    },
    "/v1/reports/{id}/release-preview": {"get": op(
        "Preview a release to a partner: the original as the releaser reads it, what would go and each withheld portion's reasons. "
        "Nothing is released; the preview is an audited read (release.preview).",
        {"200": ok(ref("ReleasePreview")), "400": E400, "403": E403, "404": E404, "429": E429},
        params=ID + [query("recipient", "The partner organisation.", required=True), query("approveOrcon", "true to preview with ORCON approved.")],
        tag="releases", op_id="previewRelease")},
    "/v1/releases": {"get": op("Inbox: releases to the caller's organisation that the caller may read, as summaries",
                               {"200": ok(ref("DocumentList")), "400": E400, "403": E403, "429": E429},
                               params=[query("originator", "Only releases from this organisation."), query("topic", "Only releases on this topic.")] + PAGING,
                               tag="releases", op_id="inbox")},
    "/v1/releases/{id}": {"get": op("Read a release; 404 when revoked, suspended, or nothing is readable",
                                    {"200": ok(ref("DocumentView")), "404": E404, "429": E429}, params=ID, tag="releases", op_id="getRelease")},
    "/v1/releases/{id}/export": {"get": op(
        "A release as plain text, fingerprinted for the caller (a canary trap naming member and release); counts as an export",
        {"200": TEXT, "404": E404, "429": E429}, params=ID, tag="releases", op_id="exportRelease")},
    "/misp/feed/manifest.json": {"get": op(
        "MISP feed: the releases the member may read, as MISP's feed manifest (event UUID: info, Orgc, Tag, date…); audited as a listing",
        {"200": ok({"type": "object"})}, tag="misp", op_id="mispFeedManifest")},
    "/misp/feed/hashes.csv": {"get": op(
        "MISP feed: md5 of every attribute value, with its event UUID. Reads every release (each audited and fingerprinted), "
        "so it counts against the member's windows like reading them all",
        {"200": {"description": "OK", "content": {"text/csv": {"schema": S}}}, "429": E429}, tag="misp", op_id="mispFeedHashes")},
    "/misp/feed/{file}": {"get": op(
        "MISP feed: one event, {uuid}.json: a release read through the rule portion by portion, fingerprinted and audited like GET /v1/releases/{id}",
        {"200": ok({"type": "object"}), "404": E404, "429": E429}, params=[path_param("file", "The event's UUID followed by .json.")], tag="misp",
        op_id="mispFeedEvent")},
    "/v1/releases/{id}/verify": {"get": op("Verify the originator's signature on a release", {"200": ok(ref("Verification")), "404": E404, "429": E429},
                                           params=ID, tag="releases", op_id="verifyRelease")},
    "/v1/releases/{id}/revoke": {"post": op("Revoke a release (releaser of the originator); nothing is deleted",
                                            {"200": ok(ref("ReleaseSummary")), "403": E403, "404": E404, "409": E409},
                                            params=ID, tag="releases", op_id="revokeRelease")},
    "/v1/releases/{id}/forward": {"post": op(
        "Try to pass a release to another organisation. A recipient is always refused (403, reason third-party-rule) "
        "and a consent request goes to the originator; its id is in the problem's consentRequestId.",
        {"403": E403, "404": E404, "409": E409}, body_name="Forward", params=ID, tag="consent", op_id="forwardRelease")},
    "/v1/consent-requests": {"get": op("Consent requests addressed to or made by the caller's organisation",
                                       {"200": ok(arr(ref("ConsentRequest"))), "403": E403}, tag="consent", op_id="listConsentRequests")},
    "/v1/consent-requests/{id}/decision": {"post": op(
        "Grant or deny consent (releaser of the originator). Granting makes a new release from the originator to the third party.",
        {"200": ok(ref("ConsentRequest")), "403": E403, "404": E404, "409": E409},
        body_name="ConsentDecision", params=ID, tag="consent", op_id="decideConsent")},
    "/v1/grants": {"post": op("Grant a member need-to-know on one report", {"201": ok(ref("Grant"), "Created"), "403": E403, "404": E404},
                              body_name="CreateGrant", tag="members", op_id="createGrant")},
    "/v1/audit": {"get": op("The organisation's audit log (security members); other organisations' actors are not named",
                            {"200": ok(ref("AuditPage")), "400": E400, "403": E403},
                            params=[query("member", "Actor member id."), query("action", "Action, e.g. release.read."),
                                    query("object", "Object id."), query("since", "RFC 3339 time.", T), query("until", "RFC 3339 time.", T)] + PAGING,
                            tag="audit", op_id="audit")},
    "/v1/alerts": {"get": op("Alerts of the caller's organisation, newest first (security members)",
                             {"200": ok(arr(ref("Alert"))), "400": E400, "403": E403},
                             params=[query("status", "open (default) or all.", {"type": "string", "enum": ["open", "all"]}),
                                     PAGING[1]],
                             tag="audit", op_id="listAlerts")},
    "/v1/members/{id}/lift-throttle": {"post": op(
        "Lift a member's throttle (a security member of the same organisation, never the member themself); resolves the member's open alerts",
        {"200": ok(ref("Member")),
         "403": problem("Denied: not a security member (role-required), or the throttled member itself or a member it created or gave "
                        "a role (conflict-of-interest). The node administrator can always lift a throttle."),
         "404": E404, "409": E409}, params=ID, tag="members", op_id="liftThrottle")},
    "/v1/trace": {"post": op(
        "Trace a leaked text to its source copy (security members). Names a copy only on conclusive evidence (chance among the "
        "candidates at most 1e-6); otherwise answers inconclusive and names nobody, unless showWeak asks for the best candidate, "
        "marked weak. A conclusive trace to a partner's copy records a breach. Candidates: copies served to the caller's members, "
        "and copies of the caller's releases served to partners (member named only where the caller is dominant).",
        {"200": ok(ref("TraceResult")), "400": E400, "403": E403}, body_name="Trace", tag="audit", op_id="trace")},
    "/v1/entities/search": {"post": op(
        "Search an entity: the caller's own hits (readable mentioning portions, fingerprinted, each audited as a read) and pointers "
        "to holdings discoverable to the caller's organisation that it may not read (holder and count only)",
        {"200": ok(ref("EntitySearchResult")), "403": E403, "429": E429}, body_name="EntitySearch", tag="entities", op_id="searchEntity")},
    "/v1/entities/partner-search": {"post": op(
        "Search partner nodes privately for an entity (RFC 9497 VOPRF): the value is blinded, evaluated on each partner node that "
        "offers this organisation a discovery set, unblinded and matched here. The partner learns neither the value nor whether it "
        "matched; a match is a pointer (node, holder, count) whose handle opens an access request decided on the holder's node.",
        {"200": ok(ref("PartnerSearchResult")), "403": E403, "429": E429}, body_name="PartnerSearch", tag="entities", op_id="partnerSearch")},
    "/v1/entities/related": {"post": op(
        "Entities that co-occur with an entity in what the caller may read, with counts",
        {"200": ok(ref("RelatedEntities")), "403": E403, "429": E429}, body_name="RelatedEntitiesRequest", tag="entities", op_id="relatedEntities")},
    "/v1/entities/chains": {"post": op(
        "Shortest chains (up to depth 4) between two entities over what the caller may read; links through discoverable holdings "
        "the caller may not read are pointers",
        {"200": ok(ref("Chains")), "403": E403, "429": E429}, body_name="ChainsRequest", tag="entities", op_id="entityChains")},
    "/v1/reports/{id}/discoverability": {"put": op(
        "Set who may discover the report through pointers (a releaser of the originator, or the report's author)",
        {"200": ok(ref("DiscoverabilityResult")), "403": E403, "404": E404, "429": E429},
        body_name="Discoverability", params=ID, tag="reports", op_id="setDiscoverability")},
    "/v1/access-requests": {
        "post": op("Request access through a pointer's handle; the holder's releasers are notified",
                   {"201": ok(ref("AccessRequest"), "Created"), "403": E403, "404": E404, "409": E409, "429": E429},
                   body_name="CreateAccessRequest", tag="access", op_id="requestAccess"),
        "get": op("Access requests the organisation received (incoming: releasers, security, admins) or the caller made (outgoing)",
                  {"200": ok(arr(ref("AccessRequest"))), "400": E400, "403": E403},
                  params=[query("direction", "incoming or outgoing (default).", {"type": "string", "enum": ["incoming", "outgoing"]}), PAGING[1]],
                  tag="access", op_id="listAccessRequests"),
    },
    "/v1/access-requests/{id}": {"get": op("One access request, for its requester or the holder's releasers",
                                           {"200": ok(ref("AccessRequest")), "404": E404}, params=ID, tag="access", op_id="getAccessRequest")},
    "/v1/access-requests/{id}/grant": {"post": op(
        "Grant (a releaser of the holder): releases to the requester's organisation through the release rule, or need-to-know "
        "grants inside the same organisation; the requester is notified. The body is optional.",
        {"200": ok(ref("AccessRequest")), "403": E403, "404": E404, "409": E409}, body_name="AccessGrant", params=ID,
        tag="access", op_id="grantAccessRequest")},
    "/v1/access-requests/{id}/deny": {"post": op("Deny (a releaser of the holder); the requester is notified",
                                                 {"200": ok(ref("AccessRequest")), "403": E403, "404": E404, "409": E409}, params=ID,
                                                 tag="access", op_id="denyAccessRequest")},
    "/v1/notifications": {"get": op("The caller's notifications, newest first: correlations (pointer data only), access requests and outcomes",
                                    {"200": ok(arr(ref("Notification"))), "400": E400, "403": E403}, params=[PAGING[1]],
                                    tag="access", op_id="notifications")},
    "/v1/releases/{id}/feedback": {
        "post": op("Judge a release (a member of its recipient who may read it); a later judgement supersedes, the history stays",
                   {"201": ok(ref("Feedback"), "Created"), "403": E403, "404": E404, "429": E429},
                   body_name="FeedbackInput", params=ID, tag="feedback", op_id="giveFeedback"),
        "get": op("The judgements of a release, oldest first (its recipient and its originator)",
                  {"200": ok(arr(ref("Feedback"))), "404": E404, "429": E429}, params=ID, tag="feedback", op_id="listFeedback"),
    },
    "/v1/feedback": {"get": op("Feedback the caller's organisation received as an originator, newest first",
                               {"200": ok(arr(ref("Feedback"))), "400": E400, "403": E403}, params=[PAGING[1]],
                               tag="feedback", op_id="feedbackReceived")},
    "/v1/organizations/{id}/track-record": {"get": op(
        "An originator's track record, overall and per topic: a Beta posterior (uniform prior; partly-confirmed counts half) "
        "with its 95% credible interval. For the organisation itself and its partners.",
        {"200": ok(ref("TrackRecordResult")), "403": E403, "404": E404}, params=ID, tag="feedback", op_id="trackRecord")},
    "/v1/partnerships/{id}/history": {"get": op(
        "Every change of the partnership's trust and status (who, when, why) and the breaches recorded against either side",
        {"200": ok(ref("PartnershipHistory")), "403": E403, "404": E404}, params=ID, tag="partnerships", op_id="partnershipHistory")},
    "/v1/partnerships/{id}/breaches": {"post": op(
        "Record a breach against the other side (security or admin); the caller's breach policy recommends or applies a one-step downgrade",
        {"201": ok(ref("Breach"), "Created"), "403": E403, "404": E404}, body_name="BreachInput", params=ID,
        tag="partnerships", op_id="reportBreach")},
    "/v1/partnerships/{id}/what-if": {"get": op(
        "If trust with the partner fell to a level: which of the caller's releases, and how many portions, it would lose",
        {"200": ok(ref("WhatIf")), "400": E400, "404": E404},
        params=ID + [{"name": "trust", "in": "query", "required": True, "schema": {"type": "string", "enum": ["none", "minimal", "limited", "low", "high", "full"]},
                      "description": "The trust level to test."}], tag="partnerships", op_id="whatIf")},
    "/v1/organizations/{id}/breach-policy": {"put": op(
        "How the organisation responds to breaches against it: recommend a downgrade, or apply it at once (its admins)",
        {"200": ok(ref("BreachPolicyResult")), "403": E403, "404": E404}, body_name="BreachPolicy", params=ID,
        tag="partnerships", op_id="setBreachPolicy")},
    "/v1/organizations/{id}/interests": {"put": op(
        "Declare the organisation's interest topics (its admins); they weigh in the exchange value and drive release suggestions",
        {"200": ok(ref("InterestsResult")), "403": E403, "404": E404}, body_name="Interests", params=ID, tag="ledger", op_id="setInterests")},
    "/v1/terms/{id}": {"patch": op(
        "Mark a term met (the side that asked) or declined (the side that owes); releasers and admins",
        {"200": ok(ref("Term")), "403": E403, "404": E404, "409": E409}, body_name="TermUpdate", params=ID, tag="ledger", op_id="updateTerm")},
    "/v1/rfis": {
        "post": op("Send a request for information to a partner, optionally offering terms in return",
                   {"201": ok(ref("RFI"), "Created"), "403": E403, "404": E404}, body_name="RFIInput", tag="ledger", op_id="requestInformation"),
        "get": op("Requests for information the caller's organisation made or received, newest first",
                  {"200": ok(arr(ref("RFI"))), "403": E403}, tag="ledger", op_id="listRFIs"),
    },
    "/v1/rfis/{id}/answer": {"post": op(
        "Answer a request with a release of the responder to the requester (the responder's releasers)",
        {"200": ok(ref("RFI")), "403": E403, "404": E404, "409": E409}, body_name="RFIAnswer", params=ID, tag="ledger", op_id="answerRFI")},
    "/v1/partners": {"get": op(
        "The caller's organisation's partners table: given, received, balance, open terms, track records both ways, trust, breaches",
        {"200": ok(arr(ref("PartnerRow"))), "400": E400, "403": E403, "404": E404}, tag="ledger", op_id="partners")},
    "/v1/partners/{id}/series": {"get": op(
        "The exchange with one partner over time: cumulative value given and received after each release (for a chart)",
        {"200": ok(arr(ref("ExchangePoint"))), "403": E403, "404": E404}, params=ID, tag="ledger", op_id="exchangeSeries")},
    "/v1/partners/{id}/suggestions": {"get": op(
        "Reports the partner declared interest in that could be released to it now, with the portions that would go (releasers; nothing is released)",
        {"200": ok(arr(ref("ReleaseSuggestion"))), "403": E403, "404": E404}, params=ID, tag="ledger", op_id="suggestions")},
    "/v1/receipts/{holder}": {"get": op(
        "Access receipts for the caller's releases held by a partner: per member where the caller is the dominant side "
        "(security, or a liaison seconded there), counts per action for a peer",
        {"200": ok(ref("AccessReceipts")), "403": E403, "404": E404},
        params=[path_param("holder", "The partner organisation.")], tag="audit", op_id="receipts")},
}

# TAXII 2.1 (OASIS): the server side of the specification, with its own media type and error
# messages. Resource shapes are the specification's; each object served passes the decision rule.
TAXII_MEDIA = "application/taxii+json;version=2.1"

def taxii_ok(desc, paged=False):
    r = {"description": desc, "content": {TAXII_MEDIA: {"schema": {"type": "object"}}}}
    if paged:
        r["headers"] = {"X-TAXII-Date-Added-First": {"schema": S, "description": "date_added of the first object in the page."},
                        "X-TAXII-Date-Added-Last": {"schema": S, "description": "date_added of the last object in the page."}}
    return r

def taxii_error(desc):
    return {"description": desc, "content": {TAXII_MEDIA: {"schema": {"type": "object", "properties": {
        "title": S, "description": S, "http_status": S}, "required": ["title"]}}}}

T400 = taxii_error("Bad filter, limit, next token or body.")
T401 = taxii_error("Missing or invalid credentials (HTTP Basic or bearer token).")
T403 = taxii_error("The collection may not be read, written or deleted from by the caller.")
T404 = taxii_error("No such resource, or one the caller may not know exists.")
T406 = taxii_error("The Accept header admits no TAXII 2.1 media type.")
T413 = taxii_error("Body larger than the API root's max_content_length.")
T415 = taxii_error("The body is not application/taxii+json;version=2.1.")
T429 = taxii_error("The member is throttled for bulk access.")
T403_SUSPENDED = taxii_error("The member is suspended (every route but GET /v1/me answers 403).")
T503 = taxii_error("The store is not accepting requests or its database does not answer (a PostgreSQL node waits 5 s for it); "
                   "or, for HTTP Basic only, the node's password checks are all taken and their queue is full. "
                   "Nothing was written; retry after Retry-After (1 s).")

def taxii_op(summary, responses, op_id, params=(), body=False):
    o = {"summary": summary, "operationId": op_id, "tags": ["taxii"], "security": [{"bearer": []}, {"basic": []}],
         "responses": dict(responses, **{"401": T401, "406": T406, "429": T429})}
    o["responses"].setdefault("403", T403_SUSPENDED)
    if params:
        o["parameters"] = list(params)
    if body:
        o["requestBody"] = {"required": True, "content": {TAXII_MEDIA: {"schema": {"type": "object"}}}}
        o["responses"].update({"400": T400, "413": T413, "415": T415})
    return o

ROOT = path_param("root", "API root name, e.g. tearline.")
COLL = path_param("collection", "Collection id (a UUID).")
OBJ = path_param("object", "STIX object id.")
FILTERS = [query("added_after", "Only objects added after this timestamp."),
           query("limit", "Page size (default 100, at most 1000).", {"type": "integer", "minimum": 1}),
           query("next", "Opaque token from the previous page."),
           query("match[id]", "Comma-separated object ids."), query("match[type]", "Comma-separated STIX types."),
           query("match[version]", "first, last (default), all, or a timestamp; comma-separated."),
           query("match[spec_version]", "Comma-separated STIX versions (2.1).")]

paths.update({
    "/taxii2": {"get": taxii_op("TAXII discovery: the API roots the caller has collections in", {"200": taxii_ok("Discovery")}, "taxiiDiscovery")},
    "/{root}": {"get": taxii_op("TAXII API root information", {"200": taxii_ok("API root"), "404": T404}, "taxiiApiRoot", [ROOT])},
    "/{root}/status/{status}": {"get": taxii_op("Status of a POST to a collection (for the member who made it)",
        {"200": taxii_ok("Status"), "404": T404}, "taxiiStatus", [ROOT, path_param("status", "Status id.")])},
    "/{root}/collections": {"get": taxii_op("Collections the caller may read or write", {"200": taxii_ok("Collections"), "404": T404}, "taxiiCollections", [ROOT])},
    "/{root}/collections/{collection}": {"get": taxii_op("One collection", {"200": taxii_ok("Collection"), "404": T404}, "taxiiCollection", [ROOT, COLL])},
    "/{root}/collections/{collection}/objects": {
        "get": taxii_op("Objects of a collection the caller may read, one page (an envelope)",
                        {"200": taxii_ok("Envelope", paged=True), "400": T400, "403": T403, "404": T404}, "taxiiGetObjects", [ROOT, COLL] + FILTERS),
        "post": taxii_op("Add objects: each becomes a holding of the caller's organisation under its mapped marking",
                         {"202": taxii_ok("Status"), "403": T403, "404": T404,
                          "422": taxii_error("The body is a bare STIX object, not an envelope; nothing was stored.")},
                         "taxiiAddObjects", [ROOT, COLL], body=True)},
    "/{root}/collections/{collection}/objects/{object}": {
        "get": taxii_op("One object's versions the caller may read (an envelope)",
                        {"200": taxii_ok("Envelope", paged=True), "400": T400, "403": T403, "404": T404}, "taxiiGetObject",
                        [ROOT, COLL, OBJ] + [f for f in FILTERS if f["name"] not in ("match[id]", "match[type]")]),
        "delete": taxii_op("Delete an object the caller's organisation posted", {"200": taxii_ok("Deleted"), "400": T400, "403": T403, "404": T404},
                           "taxiiDeleteObject", [ROOT, COLL, OBJ] + [f for f in FILTERS if f["name"] in ("match[version]", "match[spec_version]")])},
    "/{root}/collections/{collection}/objects/{object}/versions": {"get": taxii_op(
        "Versions of one object the caller may read", {"200": taxii_ok("Versions", paged=True), "400": T400, "403": T403, "404": T404},
        "taxiiObjectVersions", [ROOT, COLL, OBJ] + [f for f in FILTERS if f["name"] in ("added_after", "limit", "next", "match[spec_version]")])},
    "/{root}/collections/{collection}/manifest": {"get": taxii_op(
        "Manifest of the objects the caller may read", {"200": taxii_ok("Manifest", paged=True), "400": T400, "403": T403, "404": T404},
        "taxiiManifest", [ROOT, COLL] + FILTERS)},
})

# Every operation that reads or writes the store answers 503 when the store is shut down or its database
# does not answer (PostgreSQL down or restarting); HTTP Basic logins also wait for the password-check pool,
# which refuses with 503 when it is full. Only /healthz and /openapi.json touch no store.
E503 = {"description": "The store is not accepting requests or its database does not answer (a PostgreSQL node waits 5 s for it; "
                       "a busy pool, up to 30 s): type `unavailable`, Retry-After 1. Or the storage failed: the disk is full "
                       "(`storage-full`), the database is read-only (`storage-read-only`) or reported an I/O error (`storage-error`), "
                       "Retry-After 30. Nothing was written; retry after Retry-After.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds before trying again."}},
        "content": {"application/problem+json": {"schema": ref("Problem")}}}
for p, ops in paths.items():
    if p in ("/healthz", "/readyz", "/openapi.json"):
        continue
    for o in ops.values():
        o["responses"]["503"] = T503 if o.get("tags") == ["taxii"] else E503

paths["/federation/v1/exchange"] = {"post": {
    "summary": "A partner node sends back access receipts, feedback, consent requests and refused releases for its organisation, "
               "and gets the originators' partnership status, revocations and consent decisions. All items are applied, or none.",
    "operationId": "federationExchange", "tags": ["federation"], "security": [{"node": []}],
    "requestBody": body("FederationExchange"),
    "responses": {"200": ok(ref("FederationExchangeReply")), "400": E400, "401": problem("Not over mutual TLS with a node certificate."),
                  "404": problem("The presented node key is not pinned for that organisation."), "409": E409, "413": E413, "415": E415,
                  "503": E503}}}
paths["/federation/v1/discovery/set"] = {"get": {
    "summary": "A partner node pulls the private discovery set this node offers its organisation: after `after` in the epoch it holds, "
               "or the whole set (reset) after a new epoch. Binary (see the README's private discovery section). The set is refreshed first.",
    "operationId": "discoverySet", "tags": ["federation"], "security": [{"node": []}],
    "parameters": [query("organization", "The organisation the calling node acts for.", required=True),
                   query("epoch", "The epoch of the copy the caller holds.", {"type": "integer"}),
                   query("after", "The last sequence number the caller holds.", {"type": "integer"})],
    "responses": {"200": {"description": "One page of the set.", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                  "400": E400, "401": problem("Not over mutual TLS with a node certificate."),
                  "404": problem("The presented node key is not pinned for that organisation."), "503": E503}}}
paths["/federation/v1/discovery/evaluate"] = {"post": {
    "summary": "A partner node has blinded entities evaluated under its OPRF key, with a DLEQ proof each. Every evaluation counts "
               "against the partner's daily budget, is audited before the answer, and alerts security at the threshold.",
    "operationId": "discoveryEvaluate", "tags": ["federation"], "security": [{"node": []}],
    "requestBody": body("DiscoveryEvaluate"),
    "responses": {"200": ok(ref("DiscoveryEvaluateReply")), "400": E400, "401": problem("Not over mutual TLS with a node certificate."),
                  "404": problem("The presented node key is not pinned for that organisation, or it holds no set."),
                  "409": problem("The epoch is not the current one: pull the set again."),
                  "429": problem("The partner's evaluation budget is spent for this window (Retry-After)."), "413": E413, "415": E415,
                  "503": E503}}}
paths["/{root}/collections/{collection}/objects"]["get"]["description"] = (
    "A partner node that presents, over mutual TLS and without an Authorization header, a node key pinned for organisation X "
    "may read X's `Releases received by X` collection: releases from organisations hosted here, oldest first, each a STIX report "
    "whose Tearline extension carries the originator-signed canonical content (`release.content`, base64) and its Ed25519 `signature`. "
    "It pages with `limit` and `next` only.")

# The grant body is optional: without it, every covered report is granted.
paths["/v1/access-requests/{id}/grant"]["post"]["requestBody"]["required"] = False

document = {
    "openapi": "3.1.0",
    "info": {"title": "Tearline API", "version": "0.1.0",
             "description": "Share secret intelligence between partner organisations under rules they can trust. "
                            "Every read passes the decision rule; what the caller may not know exists is answered 404. "
                            "Every JSON body has one strict reading: a key given twice, a member the operation does not take, "
                            "a wrong type or a number of the wrong kind answers 400 naming the field (for example `portions[0].marking`). "
                            "A known path called with a method it does not take answers 405 with an `Allow` header listing the methods "
                            "it takes; a request whose header block exceeds 80 KiB answers 431. Both are application/problem+json."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": [{"bearer": []}],
    "paths": paths,
    "components": {"schemas": schemas,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Member or node-admin API token."},
                                       "basic": {"type": "http", "scheme": "basic", "description": "A member's login and password (TAXII clients)."},
                                       "node": {"type": "mutualTLS", "description": "A partner node's certificate, chained to its CA and pinned for its organisation."}}},
}

out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else \
    pathlib.Path(__file__).resolve().parent.parent / "Sources/TearlineServer/Resources/openapi.json"
out.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
print(f"wrote {out}")
