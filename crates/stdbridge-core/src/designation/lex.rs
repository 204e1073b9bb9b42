//! Splits folded designation text into words, numbers and punctuation.

/// One token of a folded designation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A run of letters (`ISO`, `T`, `AMD`).
    Word(String),
    /// A run of ASCII digits, leading zeros kept (`0171`).
    Num(String),
    /// One punctuation character (`/ : - . + ( ) ,`).
    Sym(char),
    /// A space between two tokens.
    Space,
}

/// Tokenizes text already passed through [`super::normalize::fold`].
pub(crate) fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = folded.chars().peekable();
    while let Some(&ch) = chars.peek() {
        if ch.is_ascii_digit() {
            tokens.push(Token::Num(take_while(&mut chars, |c| c.is_ascii_digit())));
        } else if ch.is_alphabetic() {
            tokens.push(Token::Word(take_while(&mut chars, |c| c.is_alphabetic())));
        } else if ch == ' ' {
            chars.next();
            tokens.push(Token::Space);
        } else {
            chars.next();
            tokens.push(Token::Sym(ch));
        }
    }
    tokens
}

fn take_while(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    keep: impl Fn(char) -> bool,
) -> String {
    let mut run = String::new();
    while let Some(&ch) = chars.peek() {
        if !keep(ch) {
            break;
        }
        run.push(ch);
        chars.next();
    }
    run
}

/// A cursor over tokens with the look-ahead the parser needs.
pub(crate) struct Cursor {
    tokens: Vec<Token>,
    at: usize,
}

impl Cursor {
    pub(crate) fn new(tokens: Vec<Token>) -> Self {
        Self { tokens, at: 0 }
    }

    pub(crate) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    pub(crate) fn peek_at(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead)
    }

    pub(crate) fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        if token.is_some() {
            self.at += 1;
        }
        token
    }

    pub(crate) fn is_done(&self) -> bool {
        self.at >= self.tokens.len()
    }

    pub(crate) fn position(&self) -> usize {
        self.at
    }

    pub(crate) fn rewind(&mut self, position: usize) {
        self.at = position;
    }

    pub(crate) fn eat_sym(&mut self, sym: char) -> bool {
        if self.peek() == Some(&Token::Sym(sym)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_space(&mut self) -> bool {
        let mut ate = false;
        while self.peek() == Some(&Token::Space) {
            self.at += 1;
            ate = true;
        }
        ate
    }

    pub(crate) fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Token::Word(word)) => Some(word),
            _ => None,
        }
    }

    pub(crate) fn peek_num(&self) -> Option<&str> {
        match self.peek() {
            Some(Token::Num(num)) => Some(num),
            _ => None,
        }
    }

    /// The text of the remaining tokens, as folded.
    pub(crate) fn rest_text(&self) -> String {
        self.tokens[self.at..].iter().map(token_text).collect()
    }
}

fn token_text(token: &Token) -> String {
    match token {
        Token::Word(text) | Token::Num(text) => text.clone(),
        Token::Sym(ch) => ch.to_string(),
        Token::Space => " ".to_owned(),
    }
}
