import ChatApp
import Testing

/// Which pictures a terminal gets.
@Suite struct PictureDetectionTests {
    typealias Answers = PictureDetection.Answers

    @Test func theSettingWinsThenTheTerminalThenHalfBlocks() {
        let plain = ["TERM": "xterm-256color"]
        #expect(PictureDetection.decide(.auto, environment: plain, answers: Answers()).method == .blocks)
        #expect(PictureDetection.decide(.auto, environment: plain, answers: Answers(sixel: true)).method == .sixel)
        #expect(PictureDetection.decide(.auto, environment: plain, answers: Answers(kitty: true, sixel: true)).method == .kitty)
        // Inside tmux the query never reaches kitty: its variables tell, and escapes are wrapped.
        let inTmux = PictureDetection.decide(.auto, environment: ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "3"], answers: Answers())
        #expect(inTmux.method == .kitty && inTmux.insideTmux)
        #expect(PictureDetection.decide(.auto, environment: ["TERM": "foot"], answers: Answers()).method == .sixel)
        #expect(PictureDetection.decide(.auto, environment: ["TERM_PROGRAM": "ghostty"], answers: Answers()).method == .kitty)
        // A setting that names a method is taken as it is.
        #expect(PictureDetection.decide(.blocks, environment: ["KITTY_WINDOW_ID": "1"], answers: Answers(kitty: true)).method == .blocks)
        #expect(PictureDetection.decide(.off, environment: plain, answers: Answers(sixel: true)).method == .off)
        #expect(PictureDetection.decide(.sixel, environment: plain, answers: Answers()).method == .sixel)
        // The cell size answered is used; else 8×16.
        let sized = PictureDetection.decide(.auto, environment: plain, answers: Answers(cellWidth: 10, cellHeight: 20))
        #expect(sized.cellWidth == 10 && sized.cellHeight == 20)
        #expect(PictureDetection.decide(.auto, environment: plain, answers: Answers()).cellHeight == 16)
    }

    @Test func theImagesTableIsRead() {
        let config = AppConfig.parse("[images]\nprotocol = \"sixel\"\nmax_download_mb = 2\n")
        #expect(config.problems == [] && config.pictureProtocol == .sixel && config.maxPictureDownload == 2 * 1024 * 1024)
        let bad = AppConfig.parse("[images]\nprotocol = \"png\"\nmax_download_mb = -1\nsize = 3\n")
        #expect(bad.problems.count == 3)
        #expect(bad.problems[0].contains("line 2") && bad.problems[0].contains("\"auto\", \"kitty\", \"sixel\", \"blocks\", \"off\""))
        #expect(bad.pictureProtocol == .auto && bad.maxPictureDownload == 10 * 1024 * 1024)
    }
}
