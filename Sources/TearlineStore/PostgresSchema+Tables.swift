extension PostgresSchema {
    /// The rest of the SQLite migrations' tables, the audit triggers, and the tables several instances share.
    static let moreTables: [String] = [
        """
        CREATE INDEX feedback_originator ON feedback(originator, createdAt)
        """,
        """
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
        )
        """,
        """
        CREATE INDEX trustChange_partnership ON trustChange(partnership, at)
        """,
        """
        CREATE TABLE breach (
            id TEXT PRIMARY KEY,
            partnership TEXT NOT NULL REFERENCES partnership(id),
            against TEXT NOT NULL REFERENCES organization(id),
            kind TEXT NOT NULL CHECK (kind IN ('leak-traced', 'refused-forward', 'consent-violation')),
            detail TEXT NOT NULL,
            response TEXT NOT NULL CHECK (response IN ('recommended', 'applied')),
            trust BIGINT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        """
        CREATE INDEX breach_partnership ON breach(partnership, at)
        """,
        """
        CREATE TABLE organizationInterest (
            organization TEXT NOT NULL REFERENCES organization(id),
            topic TEXT NOT NULL,
            PRIMARY KEY (organization, topic)
        )
        """,
        """
        CREATE TABLE ledgerEntry (
            id TEXT PRIMARY KEY,
            partnership TEXT NOT NULL REFERENCES partnership(id),
            giver TEXT NOT NULL REFERENCES organization(id),
            receiver TEXT NOT NULL REFERENCES organization(id),
            releaseId TEXT NOT NULL REFERENCES release(id),
            value DOUBLE PRECISION NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        """
        CREATE INDEX ledgerEntry_partnership ON ledgerEntry(partnership, at)
        """,
        """
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
        )
        """,
        """
        CREATE INDEX rfi_requester ON rfi(requester, createdAt)
        """,
        """
        CREATE INDEX rfi_responder ON rfi(responder, createdAt)
        """,
        """
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
        )
        """,
        """
        CREATE INDEX term_partnership ON term(partnership, createdAt)
        """,
        """
        CREATE TABLE taxiiApiRoot (
            name TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            maxContentLength BIGINT NOT NULL,
            createdAt BIGINT NOT NULL
        )
        """,
        """
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
        )
        """,
        """
        CREATE INDEX taxiiCollection_root ON taxiiCollection(apiRoot, createdAt)
        """,
        """
        CREATE TABLE taxiiStatus (
            id TEXT PRIMARY KEY,
            apiRoot TEXT NOT NULL REFERENCES taxiiApiRoot(name),
            member TEXT NOT NULL,
            requestTimestamp BIGINT NOT NULL,
            total BIGINT NOT NULL,
            successes TEXT NOT NULL,
            failures TEXT NOT NULL,
            pendings TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE memberCredential (
            member TEXT PRIMARY KEY REFERENCES member(id),
            login TEXT NOT NULL UNIQUE,
            passwordHash TEXT NOT NULL,
            updatedAt BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE federationPeer (
            organization TEXT PRIMARY KEY REFERENCES organization(id),
            url TEXT NOT NULL,
            pins TEXT NOT NULL,
            createdAt BIGINT NOT NULL,
            updatedAt BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE federationCursor (
            peer TEXT NOT NULL REFERENCES federationPeer(organization),
            organization TEXT NOT NULL REFERENCES organization(id),
            pulledAfter TEXT NOT NULL DEFAULT '',
            pushedAuditSeq BIGINT NOT NULL DEFAULT 0,
            pushedFeedbackAt BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (peer, organization)
        )
        """,
        """
        CREATE INDEX member_createdBy ON member(createdBy)
        """,
        """
        CREATE TABLE taxiiObject (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
        )
        """,
        """
        CREATE INDEX taxiiObject_added ON taxiiObject(collection, dateAdded, stixId, version)
        """,
        """
        CREATE INDEX taxiiObject_id ON taxiiObject(collection, stixId, owner, version)
        """,
        """
        CREATE FUNCTION tearline_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation'; END $$
        """,
        """
        CREATE TRIGGER auditEvent_append_only BEFORE UPDATE OR DELETE ON auditEvent
            FOR EACH ROW EXECUTE FUNCTION tearline_refuse('the audit log is append-only')
        """,
        """
        CREATE TRIGGER auditCheckpoint_append_only BEFORE UPDATE OR DELETE ON auditCheckpoint
            FOR EACH ROW EXECUTE FUNCTION tearline_refuse('audit checkpoints are append-only')
        """,
        """
        CREATE TRIGGER auditHead_no_delete BEFORE DELETE ON auditHead
            FOR EACH ROW EXECUTE FUNCTION tearline_refuse('the audit head is never deleted')
        """,
        """
        CREATE TRIGGER auditHead_forward_only BEFORE UPDATE ON auditHead
            FOR EACH ROW WHEN (NEW.seq < OLD.seq) EXECUTE FUNCTION tearline_refuse('the audit head only moves forward')
        """,
        """
        CREATE TRIGGER auditEvent_no_truncate BEFORE TRUNCATE ON auditEvent
            FOR EACH STATEMENT EXECUTE FUNCTION tearline_refuse('the audit log is append-only')
        """,
        """
        CREATE TABLE changeLog (seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, at BIGINT NOT NULL)
        """,
        // why: every instance must seal and sign under the node's one master key; an instance started
        // with another key file is refused (see PostgresStore).
        """
        CREATE TABLE nodeKey (id BIGINT PRIMARY KEY CHECK (id = 1), auditPublicKey BYTEA NOT NULL)
        """,
        """
        CREATE TABLE throttleEvent (member TEXT NOT NULL, kind TEXT NOT NULL, key TEXT, amount BIGINT NOT NULL, at BIGINT NOT NULL)
        """,
        """
        CREATE INDEX throttleEvent_member ON throttleEvent(member, kind, key)
        """,
        PostgresSchema.admitFunction,
    ] + consoleSessionTables + [AuditWitnessSchema.postgres, DefaultApiRootSchema.postgres] + DiscoverySchema.postgres

    /// Console sessions (schema 3; SQLite's v12).
    static let consoleSessionTables: [String] = [
        """
        CREATE TABLE consoleSession (
            tokenHash BYTEA PRIMARY KEY,
            memberId TEXT REFERENCES member(id),
            createdAt BIGINT NOT NULL,
            expiresAt BIGINT NOT NULL,
            lastSeenAt BIGINT NOT NULL)
        """,
        """
        CREATE INDEX consoleSession_member ON consoleSession(memberId)
        """,
    ]
}

extension PostgresSchema {
    /// The statements that bring a schema of version N − 1 to version N (a new database is
    /// created at the current version at once).
    static let upgrades: [Int64: [String]] = [
        // 2: re-reading a document inside its window no longer scans the member's whole window.
        2: [admitFunction],
        // 3: console sessions, shared by every instance.
        3: consoleSessionTables.map(byteOrdered),
        // 4: audit heads witnessed across federation.
        4: [byteOrdered(AuditWitnessSchema.postgres)],
        // 5: an imported API root can be discovery's default.
        5: [DefaultApiRootSchema.postgres],
        // 6: private discovery between partner nodes.
        6: DiscoverySchema.postgres.map(byteOrdered),
    ]

    // why `text` in lower case: the parameters of a function take no collation, and the schema
    // gives every upper-case TEXT column the "C" one (see PostgresSchema.byteOrdered).
    /// One member's windows change one at a time, whichever instance counts. A document read
    /// again inside its window is free (its time moves on); the member's window is read, pruned
    /// and counted only for a new one.
    static let admitFunction = """
        CREATE OR REPLACE FUNCTION tearline_admit(p_member text, p_kind text, p_key text, p_amount BIGINT, p_limit BIGINT, p_now BIGINT, p_window BIGINT)
        RETURNS BOOLEAN LANGUAGE plpgsql AS $$
        DECLARE used BIGINT;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended(current_schema() || '/throttle/' || p_member, 0));
            IF p_key IS NOT NULL THEN
                UPDATE throttleEvent SET at = p_now WHERE member = p_member AND kind = p_kind AND key = p_key AND at > p_now - p_window;
                IF FOUND THEN RETURN TRUE; END IF;
            END IF;
            DELETE FROM throttleEvent WHERE member = p_member AND kind = p_kind AND at <= p_now - p_window;
            SELECT COALESCE(SUM(amount), 0) INTO used FROM throttleEvent WHERE member = p_member AND kind = p_kind;
            IF used + p_amount > p_limit THEN RETURN FALSE; END IF;
            INSERT INTO throttleEvent (member, kind, key, amount, at) VALUES (p_member, p_kind, p_key, p_amount, p_now);
            RETURN TRUE;
        END $$
        """
}
