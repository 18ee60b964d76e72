/// The PostgreSQL schema: the shape SQLite's migrations v1–v11 end in, created at once (a
/// PostgreSQL node starts at this version), and the tables several instances share.
/// `tearline database schema` prints it, for review.
public enum PostgresSchema {
    static let version: Int64 = 6

    /// Every statement, as run (`tearline database schema` prints them).
    public static var sql: [String] { statements }

    /// The schema version this build creates and expects.
    public static var current: Int64 { version }

    /// Every statement, in order. Text compares byte-wise, as in SQLite: each text column is
    /// declared with the "C" collation, whatever the database's default (identifiers are ordered
    /// and compared, `CHECK (first < second)` among them).
    static var statements: [String] { tables.map(byteOrdered) }

    static func byteOrdered(_ statement: String) -> String {
        statement.replacing(/\bTEXT\b/, with: "TEXT COLLATE \"C\"")
    }

    /// The tables the SQLite migrations define, first part.
    static let tables: [String] = [
        """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)
        """,
        """
        CREATE TABLE organization (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('state', 'agency', 'international')),
            publicKey BYTEA NOT NULL,
            sealedPrivateKey BYTEA NOT NULL,
            createdAt BIGINT NOT NULL,
            breachResponse TEXT NOT NULL DEFAULT 'recommend' CHECK (breachResponse IN ('recommend', 'automatic')))
        """,
        """
        CREATE TABLE nodeCredential (
            tokenHash BYTEA PRIMARY KEY,
            createdAt BIGINT NOT NULL
        )
        """,
        """
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
            createdBy TEXT)
        """,
        """
        CREATE INDEX member_organization ON member(organizationId)
        """,
        """
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
        )
        """,
        """
        CREATE TABLE report (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id TEXT PRIMARY KEY,
            originator TEXT NOT NULL REFERENCES organization(id),
            title TEXT NOT NULL,
            titleMarking TEXT NOT NULL,
            sourceGrade TEXT NOT NULL,
            topics TEXT NOT NULL,
            createdBy TEXT NOT NULL REFERENCES member(id),
            createdAt BIGINT NOT NULL,
            signature BYTEA NOT NULL,
            dataKey BYTEA, sealed BYTEA, discoverability TEXT NOT NULL DEFAULT 'own-organisation')
        """,
        """
        CREATE INDEX report_originator ON report(originator, createdAt, id)
        """,
        """
        CREATE TABLE portion (
            reportId TEXT NOT NULL REFERENCES report(id),
            idx BIGINT NOT NULL,
            marking TEXT NOT NULL,
            sourcesAndMethods BIGINT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (reportId, idx)
        )
        """,
        """
        CREATE TABLE release (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
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
            dataKey BYTEA, sealed BYTEA)
        """,
        """
        CREATE INDEX release_recipient ON release(recipient, createdAt, id)
        """,
        """
        CREATE INDEX release_report ON release(reportId)
        """,
        """
        CREATE TABLE needToKnowGrant (
            memberId TEXT NOT NULL REFERENCES member(id),
            reportId TEXT NOT NULL REFERENCES report(id),
            grantedBy TEXT NOT NULL,
            createdAt BIGINT NOT NULL,
            PRIMARY KEY (memberId, reportId)
        )
        """,
        """
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
        )
        """,
        """
        CREATE INDEX consent_originator ON consentRequest(originator)
        """,
        """
        CREATE INDEX consent_holder ON consentRequest(holder)
        """,
        """
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
            prevHash BYTEA, hash BYTEA)
        """,
        """
        CREATE INDEX audit_organization ON auditEvent(organization, seq)
        """,
        """
        CREATE INDEX audit_concerns ON auditEvent(concerns, seq)
        """,
        """
        CREATE TABLE auditCheckpoint (
            seq BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL,
            at BIGINT NOT NULL,
            signature BYTEA NOT NULL
        )
        """,
        """
        CREATE TABLE auditHead (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            seq BIGINT NOT NULL,
            hash BYTEA NOT NULL,
            at BIGINT NOT NULL,
            signature BYTEA NOT NULL
        )
        """,
        """
        CREATE TABLE alert (
            id TEXT PRIMARY KEY,
            organization TEXT NOT NULL REFERENCES organization(id),
            subject TEXT NOT NULL REFERENCES member(id),
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            createdAt BIGINT NOT NULL,
            resolvedBy TEXT,
            resolvedAt BIGINT
        )
        """,
        """
        CREATE INDEX alert_organization ON alert(organization, createdAt)
        """,
        """
        CREATE TABLE entity (
            id BIGINT PRIMARY KEY,
            kind TEXT NOT NULL,
            sealedName BYTEA NOT NULL
        )
        """,
        """
        CREATE TABLE mention (
            report BIGINT PRIMARY KEY,
            mentions BYTEA NOT NULL
        )
        """,
        """
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
        )
        """,
        """
        CREATE INDEX accessRequest_holder ON accessRequest(holder, createdAt)
        """,
        """
        CREATE INDEX accessRequest_requester ON accessRequest(requesterOrganization, createdAt)
        """,
        """
        CREATE TABLE notification (
            id TEXT PRIMARY KEY,
            member TEXT NOT NULL REFERENCES member(id),
            kind TEXT NOT NULL,
            sealedDetail BYTEA NOT NULL,
            createdAt BIGINT NOT NULL
        )
        """,
        """
        CREATE INDEX notification_member ON notification(member, createdAt)
        """,
        """
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            releaseId TEXT NOT NULL REFERENCES release(id),
            originator TEXT NOT NULL REFERENCES organization(id),
            organization TEXT NOT NULL REFERENCES organization(id),
            member TEXT NOT NULL REFERENCES member(id),
            verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'partly-confirmed', 'refuted', 'cannot-judge')),
            sealedNote BYTEA,
            createdAt BIGINT NOT NULL
        )
        """,
        """
        CREATE INDEX feedback_release ON feedback(releaseId, createdAt)
        """,
    ] + moreTables
}
