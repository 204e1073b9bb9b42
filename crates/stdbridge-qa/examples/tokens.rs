//! Prints the segmenter's words of each line of standard input (to see how verbal forms
//! are cut).

fn main() {
    let words = stdbridge_text::WordSegmenter::default();
    for line in std::io::stdin().lines().map_while(Result::ok) {
        println!("{}", words.words(&line).join(" | "));
    }
}
