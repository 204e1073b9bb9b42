//! Authorization: the one place that decides who may do what. Use cases ask here before
//! they act; handlers and commands never decide.
//!
//! Until accounts exist there are two principals: the local operator (the command line),
//! who may do everything, and an anonymous client of the server, who may read the
//! catalogue (unless the configuration closes it) and the jobs that run on it, and nothing
//! of the translation half.

use stdbridge_storage::JobRecord;

use crate::{AppError, Config, Principal};

/// What a principal wants to do.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Search, show, export and count the catalogue.
    ReadCatalogue,
    /// Import into the catalogue, rebuild its index.
    WriteCatalogue,
    /// Read or write translation memories, termbases, documents, machine translation.
    UseTranslation,
    /// Add or list local MT models.
    ManageModels,
    /// See a job and its progress.
    ReadJob(&'a JobRecord),
    /// Copy a whole store, check one.
    AdministerStore,
}

/// Whether `who` may do `action`.
pub fn authorize(config: &Config, who: &Principal, action: Action<'_>) -> Result<(), AppError> {
    match (who, action) {
        (Principal::Operator, _) => Ok(()),
        (Principal::Anonymous, Action::ReadCatalogue | Action::ReadJob(_))
            if config.catalogue_public =>
        {
            Ok(())
        }
        (Principal::Anonymous, _) => Err(AppError::unauthenticated(
            "sign in or send an API token to do this",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operator_may_do_everything_and_strangers_only_read_the_catalogue() {
        let mut config = Config::for_data_dir(std::path::Path::new("/tmp/x"));
        assert!(authorize(&config, &Principal::Operator, Action::WriteCatalogue).is_ok());
        assert!(authorize(&config, &Principal::Anonymous, Action::ReadCatalogue).is_ok());
        let refused = authorize(&config, &Principal::Anonymous, Action::UseTranslation)
            .expect_err("no translation without an account");
        assert_eq!(refused.kind, crate::ErrorKind::Unauthenticated);
        assert!(authorize(&config, &Principal::Anonymous, Action::WriteCatalogue).is_err());
        assert!(authorize(&config, &Principal::Operator, Action::AdministerStore).is_ok());
        assert!(authorize(&config, &Principal::Anonymous, Action::AdministerStore).is_err());
        config.catalogue_public = false;
        assert!(authorize(&config, &Principal::Anonymous, Action::ReadCatalogue).is_err());
    }
}
