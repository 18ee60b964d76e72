/// Why a federation setup step failed; the messages name files and values, never key material.
public enum FederationError: Error, CustomStringConvertible, Equatable {
    case malformedPin(String)
    case invalidName(String)
    case invalidHost(String)
    case noHosts
    case exists(path: String)
    case cannotWrite(path: String)
    case missing(path: String)
    case tooOpen(path: String, mode: Int)
    case malformedPEM(path: String)
    case notACertificateAuthority(path: String)
    case invalidURL(String)
    case noPins
    case pinsNeedClientCA
    case unusableTLSFiles([String])
    case incompleteResponse
    case responseTooLarge(limit: Int)
    case peerRejected(String)
    case noURL(String)
    case partnerAnswered(Int, String)

    public var description: String {
        switch self {
        case .malformedPin(let text): "malformed pin \"\(text)\": expected sha256/ and the base64 of 32 bytes"
        case .invalidName(let name): "invalid name \"\(name)\": use letters, digits, '.', '_' and '-', not starting with '.'"
        case .invalidHost(let host): "invalid host \"\(host)\": give an IP address or a DNS name"
        case .noHosts: "give at least one --host (an IP address or DNS name the node is reached at)"
        case .exists(let path): "\(path) already exists; refusing to overwrite it"
        case .cannotWrite(let path): "cannot create \(path)"
        case .missing(let path): "\(path) does not exist"
        case .tooOpen(let path, let mode): "key file \(path) has mode \(String(mode, radix: 8)); it must be readable by its owner only (chmod 600)"
        case .malformedPEM(let path): "\(path) does not hold the expected PEM"
        case .notACertificateAuthority(let path): "\(path) is not a CA certificate"
        case .invalidURL(let url): "invalid URL \"\(url)\": a partner is called over https://host[:port]/path"
        case .noPins: "a partner must be pinned: give at least one sha256/ pin of its server key"
        case .pinsNeedClientCA: "peer pins apply to client certificates: give --tls-client-ca too"
        case .unusableTLSFiles(let paths): "cannot use \(paths.joined(separator: ", ")) for TLS: expected PEM certificates and a PEM private key that match"
        case .incompleteResponse: "the partner closed the connection, or the request timed out, before the response ended"
        case .responseTooLarge(let limit): "the partner's response exceeded \(limit) bytes"
        case .peerRejected(let reason): "the partner's certificate was refused: \(reason)"
        case .noURL(let organization): "no URL is registered for \(organization)'s node: tearline federation peer --url"
        case .partnerAnswered(let status, let text): "the partner's node answered \(status): \(text)"
        }
    }
}
