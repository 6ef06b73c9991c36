import YilianCLI

@main
struct Yilian {
    static func main() async {
        await YilianCommand.main()
    }
}
