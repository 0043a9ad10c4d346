//! Closed vocabularies: a fixed list of codes that the code itself branches
//! on (a case's urgency, say). Each is an enum made by [`choice!`], with its
//! stored code (`as_str`), `parse`, `ALL` in display order, and the Fluent
//! key of its label (`<group>-<code with hyphens>`), so pages, API, import
//! and export all use the one list and a typo is a compile error.
//!
//! Open vocabularies that an office extends (HURIDOCS terms) stay data; see
//! `vocabulary.rs`.

/// `choice!(Name, "fluent-group", { Variant = "code", ... })`.
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident, $group:literal, { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order forms and filters list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The Fluent group of the labels (`<group>-<code>`).
            pub const GROUP: &'static str = $group;

            /// The code stored and exchanged (CSV, API).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value of a stored or submitted code; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The Fluent id of this value's label.
            pub fn fluent_key(self) -> String {
                format!("{}-{}", $group, self.as_str().replace('_', "-"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::choice!(
        /// A test vocabulary.
        Colour, "colour", { Red = "red", DarkBlue = "dark_blue" }
    );

    #[test]
    fn codes_parse_back_and_keys_follow_the_group() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(Colour::DarkBlue.fluent_key(), "colour-dark-blue");
        assert_eq!(Colour::GROUP, "colour");
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).unwrap(), "\"dark_blue\"");
    }
}
