-- Tearline's schema on PostgreSQL: the shape the SQLite migrations v1–v11 end in, created at once
-- (a PostgreSQL node starts at this version). Draft for issue 14; unquoted identifiers fold to lower case.
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
CREATE TABLE organization (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'agency', 'international')),
    publicKey BYTEA NOT NULL,
    sealedPrivateKey BYTEA NOT NULL,
    createdAt BIGINT NOT NULL,
    breachResponse TEXT NOT NULL DEFAULT 'recommend' CHECK (breachResponse IN ('recommend', 'automatic')));
CREATE TABLE nodeCredential (
    tokenHash BYTEA PRIMARY KEY,
    createdAt BIGINT NOT NULL
);
CREATE TABLE member (
    id TEXT PRIMARY KEY,
    organizationId TEXT NOT NULL REFERENCES organization(id),
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    clearance BIGINT NOT NULL,
    compartments TEXT NOT NULL,
    topics TEXT NOT NULL,
    tokenHash BYTEA NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    throttled BIGINT NOT NULL DEFAULT 0,
    secondedTo TEXT REFERENCES organization(id),
    createdAt BIGINT NOT NULL,
    createdBy TEXT);
CREATE INDEX member_organization ON member(organizationId);
CREATE TABLE partnership (
    id TEXT PRIMARY KEY,
    first TEXT NOT NULL REFERENCES organization(id),
    second TEXT NOT NULL REFERENCES organization(id),
    kind TEXT NOT NULL CHECK (kind IN ('peer', 'hierarchical')),
    dominant TEXT REFERENCES organization(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    createdAt BIGINT NOT NULL,
    updatedAt BIGINT NOT NULL, firstTrust BIGINT NOT NULL DEFAULT 0, secondTrust BIGINT NOT NULL DEFAULT 0, firstSuspended BIGINT NOT NULL DEFAULT 0, secondSuspended BIGINT NOT NULL DEFAULT 0,
    UNIQUE (first, second),
    CHECK (first < second)
);
CREATE TABLE report (
    id TEXT PRIMARY KEY,
    originator TEXT NOT NULL REFERENCES organization(id),
    title TEXT NOT NULL,
    titleMarking TEXT NOT NULL,
    sourceGrade TEXT NOT NULL,
    topics TEXT NOT NULL,
    createdBy TEXT NOT NULL REFERENCES member(id),
    createdAt BIGINT NOT NULL,
    signature BYTEA NOT NULL,
    dataKey BYTEA, sealed BYTEA, discoverability TEXT NOT NULL DEFAULT 'own-organisation');
CREATE INDEX report_originator ON report(originator, createdAt, id);
CREATE TABLE portion (
    reportId TEXT NOT NULL REFERENCES report(id),
    idx BIGINT NOT NULL,
    marking TEXT NOT NULL,
    sourcesAndMethods BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (reportId, idx)
);
CREATE TABLE release (
    id TEXT PRIMARY KEY,
    reportId TEXT NOT NULL REFERENCES report(id),
    originator TEXT NOT NULL REFERENCES organization(id),
    recipient TEXT NOT NULL REFERENCES organization(id),
    portions TEXT NOT NULL,
    banner TEXT NOT NULL,
    orconApproved BIGINT NOT NULL,
    createdBy TEXT NOT NULL,
    createdAt BIGINT NOT NULL,
    signature BYTEA NOT NULL,
    revokedAt BIGINT,
    revokedBy TEXT,
    consentRequestId TEXT,
    dataKey BYTEA, sealed BYTEA);
CREATE INDEX release_recipient ON release(recipient, createdAt, id);
CREATE INDEX release_report ON release(reportId);
CREATE TABLE needToKnowGrant (
    memberId TEXT NOT NULL REFERENCES member(id),
    reportId TEXT NOT NULL REFERENCES report(id),
    grantedBy TEXT NOT NULL,
    createdAt BIGINT NOT NULL,
    PRIMARY KEY (memberId, reportId)
);
CREATE TABLE consentRequest (
    id TEXT PRIMARY KEY,
    releaseId TEXT NOT NULL REFERENCES release(id),
    reportId TEXT NOT NULL REFERENCES report(id),
    originator TEXT NOT NULL,
    holder TEXT NOT NULL,
    target TEXT NOT NULL,
    requestedBy TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'denied')),
    createdAt BIGINT NOT NULL,
    decidedBy TEXT,
    decidedAt BIGINT,
    resultingReleaseId TEXT
);
CREATE INDEX consent_originator ON consentRequest(originator);
CREATE INDEX consent_holder ON consentRequest(holder);
CREATE TABLE auditEvent (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT,
    organization TEXT,
    concerns TEXT,
    action TEXT NOT NULL,
    object TEXT,
    decision TEXT NOT NULL,
    reasons TEXT NOT NULL,
    detail TEXT,
    prevHash BYTEA, hash BYTEA);
CREATE INDEX audit_organization ON auditEvent(organization, seq);
CREATE INDEX audit_concerns ON auditEvent(concerns, seq);
CREATE TABLE auditCheckpoint (
    seq BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL,
    at BIGINT NOT NULL,
    signature BYTEA NOT NULL
);
CREATE TABLE auditHead (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    at BIGINT NOT NULL,
    signature BYTEA NOT NULL
);
CREATE TABLE alert (
    id TEXT PRIMARY KEY,
    organization TEXT NOT NULL REFERENCES organization(id),
    subject TEXT NOT NULL REFERENCES member(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    createdAt BIGINT NOT NULL,
    resolvedBy TEXT,
    resolvedAt BIGINT
);
CREATE INDEX alert_organization ON alert(organization, createdAt);
CREATE TABLE entity (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    sealedName BYTEA NOT NULL
);
CREATE TABLE mention (
    report BIGINT PRIMARY KEY,
    mentions BYTEA NOT NULL
);
CREATE TABLE accessRequest (
    id TEXT PRIMARY KEY,
    requester TEXT NOT NULL REFERENCES member(id),
    requesterOrganization TEXT NOT NULL REFERENCES organization(id),
    holder TEXT NOT NULL REFERENCES organization(id),
    entity BIGINT NOT NULL,
    reports TEXT NOT NULL,
    sealedJustification BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'denied')),
    createdAt BIGINT NOT NULL,
    decidedBy TEXT,
    decidedAt BIGINT,
    outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX accessRequest_holder ON accessRequest(holder, createdAt);
CREATE INDEX accessRequest_requester ON accessRequest(requesterOrganization, createdAt);
CREATE TABLE notification (
    id TEXT PRIMARY KEY,
    member TEXT NOT NULL REFERENCES member(id),
    kind TEXT NOT NULL,
    sealedDetail BYTEA NOT NULL,
    createdAt BIGINT NOT NULL
);
CREATE INDEX notification_member ON notification(member, createdAt);
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    releaseId TEXT NOT NULL REFERENCES release(id),
    originator TEXT NOT NULL REFERENCES organization(id),
    organization TEXT NOT NULL REFERENCES organization(id),
    member TEXT NOT NULL REFERENCES member(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'partly-confirmed', 'refuted', 'cannot-judge')),
    sealedNote BYTEA,
    createdAt BIGINT NOT NULL
);
CREATE INDEX feedback_release ON feedback(releaseId, createdAt);
CREATE INDEX feedback_originator ON feedback(originator, createdAt);
CREATE TABLE trustChange (
    id TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES partnership(id),
    changedBy TEXT NOT NULL,
    organization TEXT,
    fromTrust BIGINT NOT NULL,
    toTrust BIGINT NOT NULL,
    fromStatus TEXT NOT NULL,
    toStatus TEXT NOT NULL,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX trustChange_partnership ON trustChange(partnership, at);
CREATE TABLE breach (
    id TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES partnership(id),
    against TEXT NOT NULL REFERENCES organization(id),
    kind TEXT NOT NULL CHECK (kind IN ('leak-traced', 'refused-forward', 'consent-violation')),
    detail TEXT NOT NULL,
    response TEXT NOT NULL CHECK (response IN ('recommended', 'applied')),
    trust BIGINT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX breach_partnership ON breach(partnership, at);
CREATE TABLE organizationInterest (
    organization TEXT NOT NULL REFERENCES organization(id),
    topic TEXT NOT NULL,
    PRIMARY KEY (organization, topic)
);
CREATE TABLE ledgerEntry (
    id TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES partnership(id),
    giver TEXT NOT NULL REFERENCES organization(id),
    receiver TEXT NOT NULL REFERENCES organization(id),
    releaseId TEXT NOT NULL REFERENCES release(id),
    value DOUBLE PRECISION NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX ledgerEntry_partnership ON ledgerEntry(partnership, at);
CREATE TABLE rfi (
    id TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES partnership(id),
    requester TEXT NOT NULL REFERENCES organization(id),
    responder TEXT NOT NULL REFERENCES organization(id),
    requestedBy TEXT NOT NULL REFERENCES member(id),
    sealedQuestion BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'declined')),
    answerReleaseId TEXT REFERENCES release(id),
    createdAt BIGINT NOT NULL,
    answeredAt BIGINT
);
CREATE INDEX rfi_requester ON rfi(requester, createdAt);
CREATE INDEX rfi_responder ON rfi(responder, createdAt);
CREATE TABLE term (
    id TEXT PRIMARY KEY,
    partnership TEXT NOT NULL REFERENCES partnership(id),
    askedBy TEXT NOT NULL REFERENCES organization(id),
    owedBy TEXT NOT NULL REFERENCES organization(id),
    releaseId TEXT REFERENCES release(id),
    rfiId TEXT REFERENCES rfi(id),
    sealedText BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'met', 'declined')),
    createdAt BIGINT NOT NULL,
    updatedAt BIGINT NOT NULL
);
CREATE INDEX term_partnership ON term(partnership, createdAt);
CREATE TABLE taxiiApiRoot (
    name TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    maxContentLength BIGINT NOT NULL,
    createdAt BIGINT NOT NULL
);
CREATE TABLE taxiiCollection (
    id TEXT PRIMARY KEY,
    apiRoot TEXT NOT NULL REFERENCES taxiiApiRoot(name),
    kind TEXT NOT NULL CHECK (kind IN ('community', 'holdings', 'received')),
    organization TEXT REFERENCES organization(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    alias TEXT,
    readers TEXT NOT NULL,
    writers TEXT NOT NULL,
    topics TEXT NOT NULL,
    defaultMarking TEXT NOT NULL,
    createdAt BIGINT NOT NULL
);
CREATE INDEX taxiiCollection_root ON taxiiCollection(apiRoot, createdAt);
CREATE TABLE taxiiStatus (
    id TEXT PRIMARY KEY,
    apiRoot TEXT NOT NULL REFERENCES taxiiApiRoot(name),
    member TEXT NOT NULL,
    requestTimestamp BIGINT NOT NULL,
    total BIGINT NOT NULL,
    successes TEXT NOT NULL,
    failures TEXT NOT NULL,
    pendings TEXT NOT NULL
);
CREATE TABLE memberCredential (
    member TEXT PRIMARY KEY REFERENCES member(id),
    login TEXT NOT NULL UNIQUE,
    passwordHash TEXT NOT NULL,
    updatedAt BIGINT NOT NULL
);
CREATE TABLE federationPeer (
    organization TEXT PRIMARY KEY REFERENCES organization(id),
    url TEXT NOT NULL,
    pins TEXT NOT NULL,
    createdAt BIGINT NOT NULL,
    updatedAt BIGINT NOT NULL
);
CREATE TABLE federationCursor (
    peer TEXT NOT NULL REFERENCES federationPeer(organization),
    organization TEXT NOT NULL REFERENCES organization(id),
    pulledAfter TEXT NOT NULL DEFAULT '',
    pushedAuditSeq BIGINT NOT NULL DEFAULT 0,
    pushedFeedbackAt BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (peer, organization)
);
CREATE INDEX member_createdBy ON member(createdBy);
CREATE TABLE taxiiObject (
    seq BIGINT PRIMARY KEY,
    collection TEXT NOT NULL REFERENCES taxiiCollection(id),
    stixId TEXT NOT NULL,
    type TEXT NOT NULL,
    version BIGINT NOT NULL,
    specVersion TEXT NOT NULL,
    dateAdded BIGINT NOT NULL,
    owner TEXT NOT NULL REFERENCES organization(id),
    postedBy TEXT,
    marking TEXT NOT NULL,
    sealedBody BYTEA NOT NULL,
    UNIQUE (collection, stixId, version, owner)
);
CREATE INDEX taxiiObject_added ON taxiiObject(collection, dateAdded, stixId, version);
CREATE INDEX taxiiObject_id ON taxiiObject(collection, stixId, owner, version);

-- The audit trail is append-only for everyone; the head only moves forward.
CREATE FUNCTION tearline_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation'; END $$;
CREATE TRIGGER auditEvent_append_only BEFORE UPDATE OR DELETE ON auditEvent
    FOR EACH ROW EXECUTE FUNCTION tearline_refuse('the audit log is append-only');
CREATE TRIGGER auditCheckpoint_append_only BEFORE UPDATE OR DELETE ON auditCheckpoint
    FOR EACH ROW EXECUTE FUNCTION tearline_refuse('audit checkpoints are append-only');
CREATE TRIGGER auditHead_no_delete BEFORE DELETE ON auditHead
    FOR EACH ROW EXECUTE FUNCTION tearline_refuse('the audit head is never deleted');
CREATE TRIGGER auditHead_forward_only BEFORE UPDATE ON auditHead
    FOR EACH ROW WHEN (NEW.seq < OLD.seq) EXECUTE FUNCTION tearline_refuse('the audit head only moves forward');
CREATE TRIGGER auditEvent_no_truncate BEFORE TRUNCATE ON auditEvent
    FOR EACH STATEMENT EXECUTE FUNCTION tearline_refuse('the audit log is append-only');

-- Several instances, one node: what a write changes that others must not serve stale.
CREATE TABLE nodeVersion (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
INSERT INTO nodeVersion VALUES (1, 0);
CREATE TABLE indexChange (seq BIGSERIAL PRIMARY KEY, change BYTEA NOT NULL, at BIGINT NOT NULL);
