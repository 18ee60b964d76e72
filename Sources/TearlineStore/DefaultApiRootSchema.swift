/// SQLite's v14 and PostgreSQL's schema 5: which API root discovery names as the default. None
/// marked is Tearline's own; `tearline import medallion` marks the root medallion's discovery
/// named, so clients configured with medallion's discovery land where they did.
enum DefaultApiRootSchema {
    static let sqlite = "ALTER TABLE taxiiApiRoot ADD COLUMN isDefault INTEGER NOT NULL DEFAULT 0"
    static let postgres = "ALTER TABLE taxiiApiRoot ADD COLUMN isDefault BIGINT NOT NULL DEFAULT 0"
}
