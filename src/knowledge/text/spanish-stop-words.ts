/**
 * Spanish function words, accent-folded (compared after `foldAccents`).
 *
 * Based on the Snowball project's Spanish stop list, trimmed on purpose: words that carry
 * meaning in accounting questions stay searchable (`sin`/`con` are dropped, but not numbers,
 * `nota`, `uso`, `cuenta`, `estado`, `mes`, `plazo`…). Question words (`como`, `cuando`, `que`,
 * `donde`) are stop words: accountants ask "¿cómo emito…?", and the verb carries the meaning.
 */
export const SPANISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun cada como con contra cual cuales
cualquier cuando cuanto cuanta cuantos cuantas de del desde donde dos durante e el ella ellas ello ellos
en entre era eran eres es esa esas ese eso esos esta estaba estaban estamos estan estar estas este esto
estos estoy fue fueron fui ha haber habia habian han has hasta hay he hemos la las le les lo los me mi
mis mucho muchos muy nada ni no nos nosotros nuestra nuestro nuestras nuestros o os otra otras otro otros
para pero poco por porque puede pueden puedo que quien quienes se sea sean ser si sido sin sobre sois
solo son soy su sus tambien tan tanto te tenemos tener tengo ti tiene tienen todo todos tu tus u un una
uno unos usted ustedes vosotros y ya yo hacer hago hace debo debe deben necesito quiero favor hola
`
    .split(/\s+/)
    .filter(Boolean),
);
