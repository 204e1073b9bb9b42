//! Who is acting: every use case takes one, so that authorization has exactly one place
//! to live ([`crate::authz`]).

/// The acting principal of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Principal {
    /// The person at this machine's command line: may do everything with the local store.
    Operator,
    /// A client of the server that said nothing about who it is.
    Anonymous,
}

impl Principal {
    /// The name recorded as a job's owner or a unit's creator.
    pub fn name(&self) -> &'static str {
        match self {
            Principal::Operator => "operator",
            Principal::Anonymous => "anonymous",
        }
    }
}
