import ArgumentParser
import Foundation
import TearlineServer

/// `tearline pki`: the certificates nodes use to federate over mutual TLS.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create the node CA and node certificates for federation over mutual TLS, and print key pins.",
        subcommands: [CA.self, Node.self, Pin.self])

    struct CA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ca", abstract: "Create DIR/ca.pem and DIR/ca.key.pem (mode 0600): a P-256 CA valid for ten years.")
        @Option(help: "The PKI directory (created, mode 0700, if missing).") var dir: String
        @Option(help: "The CA's common name, e.g. \"Tearline node CA USA\".") var name: String

        func run() async throws {
            try failingClearly { try NodePKI.createCA(in: dir, name: name) }
            print("created \(NodePKI.caCertificatePath(in: dir)) and \(NodePKI.caKeyPath(in: dir))")
        }
    }

    struct Node: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node", abstract: "Issue DIR/NODE.pem and DIR/NODE.key.pem (mode 0600) with DIR's CA: valid one year, server and client use.")
        @Option(help: "The PKI directory holding ca.pem and ca.key.pem.") var dir: String
        @Option(help: "The node's name; also the file names.") var node: String
        @Option(help: "An IP address or DNS name the node is reached at; repeatable.") var host: [String] = []

        func run() async throws {
            let issued = try failingClearly { try NodePKI.createNode(in: dir, node: node, hosts: host) }
            print("created \(NodePKI.certificatePath(in: dir, node: node)) and \(NodePKI.keyPath(in: dir, node: node))")
            print("pin: \(try SPKIPin(issued.certificate))")
        }
    }

    struct Pin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin", abstract: "Print a certificate's key pin: sha256/ and the base64 SHA-256 of its SubjectPublicKeyInfo.")
        @Argument(help: "A PEM certificate file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            do { print(try SPKIPin(certificatePEM: String(decoding: data, as: UTF8.self))) } catch {
                throw ValidationError("\(file) does not hold a PEM certificate")
            }
        }
    }
}

/// Runs a PKI step, turning a refusal into its message and exit code 1.
@discardableResult
private func failingClearly<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as FederationError {
        FileHandle.standardErrorWrite("tearline: \(error)\n")
        throw ExitCode(1)
    }
}
