import ArgumentParser
import YilianCore
import YilianRPC

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: Help.text("Answer JSON-RPC 2.0 requests on stdin, one per line, with one response line each on stdout."))
    @OptionGroup(title: Help.text("Global options")) var options: DatabaseOptions

    @Option(help: .text("How many requests may run at once, each on its own connection (responses may then come out of order)."))
    var concurrency = 1

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError(Language.current("usage.concurrency")) }
    }

    func run() async throws {
        try await CommandContext.run(options) { context in
            let services = try await context.services(capacity: concurrency + 1 + Subscriptions.limit)
            let dispatcher = Dispatcher(services: services, logger: context.logger)
            // Answers are for programs: their texts (criteria explanations) are English, as their error messages are.
            await Language.$current.withValue(.en) { await Server(dispatcher: dispatcher, concurrency: concurrency).run() }
        }
    }
}
