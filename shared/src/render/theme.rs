use crate::vertical::VerticalConfig;

/// The vertical's colours and font as CSS custom properties, served as `/theme.css` so
/// that pages need no inline style (the CSP forbids it).
pub fn theme_css(config: &VerticalConfig) -> String {
    let theme = config.theme();
    format!(
        ":root{{--primaire:{};--secondaire:{};--fond:{};--texte:{};--police:{};}}\n",
        theme.couleur_primaire().as_str(),
        theme.couleur_secondaire().as_str(),
        theme.couleur_fond().as_str(),
        theme.couleur_texte().as_str(),
        theme.police().pile_css(),
    )
}
