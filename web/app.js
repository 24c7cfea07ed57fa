// Tradewind storefront: a single page over the GraphQL API at /graphql.
// No framework and no external resources. All data goes into the DOM through
// textContent / attributes (see `h`), never through innerHTML.

const ENDPOINT = "/graphql";
const PAGE_SIZE = 24;

const LOCALES = [
  ["en", "English"],
  ["de", "Deutsch"],
  ["fr", "Français"],
  ["ja", "日本語"],
  ["zh", "中文"],
];
const LOCALE_CODES = LOCALES.map(([code]) => code);

const SORTS = {
  newest: { field: "LISTED_AT", direction: "DESC" },
  "price-asc": { field: "PRICE", direction: "ASC" },
  "price-desc": { field: "PRICE", direction: "DESC" },
  bestselling: { field: "SALES", direction: "DESC" },
  rating: { field: "RATING", direction: "DESC" },
  name: { field: "NAME", direction: "ASC" },
};
const DEFAULT_SORT = "newest";
// The locale product texts are written in before translation (the server's default_locale).
const SHOP_LOCALE = "en";

// ---------------------------------------------------------------- UI strings

const STRINGS = {
  en: {
    skip: "Skip to content",
    search: "Search",
    searchPlaceholder: "Search products, brands, SKUs…",
    language: "Language",
    sortBy: "Sort by",
    "sort.newest": "Newest",
    "sort.price-asc": "Price: low to high",
    "sort.price-desc": "Price: high to low",
    "sort.bestselling": "Best selling",
    "sort.rating": "Top rated",
    "sort.name": "Name: A–Z",
    filters: "Filters",
    category: "Category",
    allCategories: "All categories",
    brand: "Brand",
    origin: "Place of origin",
    price: "Price",
    anyPrice: "Any price",
    upTo: "Up to {max}",
    andAbove: "{min} and above",
    availability: "Availability",
    inStockOnly: "In stock only",
    clearAll: "Clear all",
    allProducts: "All products",
    resultsFor: "Results for “{q}”",
    "products.one": "{n} product",
    "products.other": "{n} products",
    showing: "Showing {shown} of {total}",
    loadMore: "Load more",
    loading: "Loading…",
    noResults: "No products match your filters.",
    noResultsHint: "Try removing a filter or searching for something else.",
    from: "from",
    inStock: "In stock",
    lowStock: "Only {n} left",
    outOfStock: "Out of stock",
    sale: "Sale",
    upTo: "Up to −{n}%",
    back: "Back to results",
    home: "Home",
    description: "Description",
    parameters: "Key facts",
    features: "Features",
    instructions: "Instructions",
    details: "Details",
    material: "Material",
    model: "Model",
    specification: "Specification",
    productType: "Type",
    usage: "Use",
    weight: "Weight",
    madeIn: "Made in {country}",
    sku: "SKU",
    available: "In stock · {n} available",
    notFound: "Product not found",
    notFoundText: "It may no longer be on sale, or the link is wrong.",
    error: "Something went wrong",
    retry: "Try again",
    "reviews.one": "{n} review",
    "reviews.other": "{n} reviews",
    untranslated: "This product is not translated into {lang} yet; it is shown in {shown}.",
    combination: "This combination is not available.",
    image: "Image {n}",
    noImage: "No image",
    searchChip: "“{q}”",
    remove: "Remove filter: {name}",
    footer: "Tradewind · Goods from independent makers around the world, shipped across borders.",
    account: "Account",
    signIn: "Sign in",
    signOut: "Sign out",
    myAccount: "My account",
    signInMethod: "Sign-in method",
    withPassword: "Password",
    withPhoneCode: "Phone code",
    email: "Email",
    emailOrPhone: "Email or phone number",
    password: "Password",
    newPassword: "New password",
    passwordHint: "At least 10 characters.",
    phone: "Phone number",
    phoneHint: "With the country code, e.g. +49 30 1234567.",
    code: "Code",
    codeSentTo: "We sent a code to {to}.",
    sendCode: "Send code",
    sendAgain: "Send again",
    codeResent: "A new code is on its way.",
    changeLogin: "Use another number",
    forgotPassword: "Forgot password?",
    noAccount: "New here?",
    haveAccount: "Already have an account?",
    createAccount: "Create account",
    nickname: "Nickname",
    optional: "optional",
    confirm: "Confirm",
    resetPassword: "Reset password",
    resetIntro: "Enter your email or phone number and we will send you a code.",
    setPassword: "Set password",
    backToSignIn: "Back to sign in",
    or: "or",
    continueWith: "Continue with {provider}",
    oauthFailed: "Signing in with that provider did not work. Please try again.",
    rateLimited: "Too many attempts. Try again in {time}.",
    profile: "Profile",
    noTier: "No membership tier yet",
    pointsLabel: "points",
    "points.one": "{n} point",
    "points.other": "{n} points",
    expiring: "{points} expire on {date}.",
    dailyCheckIn: "Daily check-in",
    "streak.one": "{n}-day streak",
    "streak.other": "{n}-day streak",
    checkInFor: "Check in · +{n}",
    checkedInToday: "Done for today. Tomorrow: +{n}.",
    checkedIn: "Checked in: +{points} · {streak}.",
    preferredLanguage: "Preferred language",
    currency: "Currency",
    notSet: "Not set",
    save: "Save",
    saved: "Saved.",
    cancel: "Cancel",
    addresses: "Addresses",
    addAddress: "Add address",
    editAddress: "Edit address",
    noAddresses: "No saved addresses yet.",
    default: "Default",
    setDefault: "Make default",
    makeDefault: "Use as my default address",
    edit: "Edit",
    delete: "Delete",
    confirmDelete: "Delete this address?",
    addressSaved: "Address saved.",
    addressDeleted: "Address deleted.",
    fullName: "Full name",
    company: "Company",
    line1: "Street address",
    line2: "Apartment, suite, etc.",
    city: "City",
    region: "State / province",
    postalCode: "Postal code",
    country: "Country",
    recentPoints: "Recent points",
    noPoints: "No points yet. Check in daily to earn some.",
    "kind.ORDER": "Order",
    "kind.CHECK_IN": "Daily check-in",
    "kind.REVIEW": "Review",
    "kind.REDEMPTION": "Reward",
    "kind.REFUND": "Refund",
    "kind.EXPIRY": "Expired",
    "kind.ADJUSTMENT": "Adjustment",
    recentOrders: "Recent orders",
    noOrders: "No orders yet.",
    orderNumber: "Order {number}",
    "status.PENDING_PAYMENT": "Awaiting payment",
    "status.PENDING_SHIPMENT": "Preparing",
    "status.SHIPPED": "Shipped",
    "status.DELIVERED": "Delivered",
    "status.COMPLETED": "Completed",
    "status.CANCELLED": "Cancelled",
    "items.one": "{n} item",
    "items.other": "{n} items",
    rewards: "Rewards",
    noRewards: "No rewards right now.",
    redeem: "Redeem",
    left: "{n} left",
    needMore: "{points} more needed",
    unavailable: "Not available right now",
    confirmRedeem: "Spend {points} on “{name}”?",
    redeemed: "Redeemed: {name}.",
    couponCode: "Your coupon code: {code}",
    cart: "Cart",
    addToCart: "Add to cart",
    quantity: "Quantity",
    added: "Added {n} to your cart.",
    viewCart: "View cart",
    rateStale: "Prices in {currency} are indicative: the exchange rate is from {date}.",
    rateStaleUndated: "Prices in {currency} are indicative: the exchange rate is out of date.",
    cartLines: "Items in your cart",
    cartEmpty: "Your cart is empty.",
    continueShopping: "Continue shopping",
    orderSummary: "Order summary",
    subtotal: "Subtotal",
    memberDiscount: "Member discount",
    couponDiscount: "Coupon",
    pointsDiscount: "Points",
    pointsDiscountN: "Points ({points})",
    discounts: "Discounts",
    shipping: "Shipping",
    total: "Total",
    totalBeforeShipping: "Total before shipping",
    shippingAtCheckout: "Shipping is calculated at checkout.",
    fixLines: "Some items are not available in the quantity you chose. Change or remove them to continue.",
    checkout: "Checkout",
    quantityOf: "Quantity of {name}",
    decrease: "One less {name}",
    increase: "One more {name}",
    removeLine: "Remove {name}",
    onlyAvailable: "Only {n} available",
    soldOutLine: "Sold out",
    couponLabel: "Coupon code",
    apply: "Apply",
    couponApplied: "Code {code} applied.",
    couponNotApplied: "Code {code} does not apply.",
    removeCoupon: "Remove code",
    contact: "Contact",
    orderingAs: "Ordering as {email}.",
    emailHint: "For the order confirmation and to track the order.",
    shippingAddress: "Shipping address",
    phoneForCarrier: "For the carrier, in case of questions about the delivery.",
    shippingMethod: "Shipping method",
    shippingTo: "To {place}:",
    shippingNeedsAddress: "Enter the address to see the ways we can ship to it.",
    noShipping: "We cannot ship this order to {country} yet.",
    "businessDays.one": "{n} business day",
    "businessDays.other": "{n} business days",
    businessDaysRange: "{min}–{max} business days",
    arrivesBy: "by {date}",
    chooseShipping: "Choose a shipping method.",
    pointsTitle: "Points",
    pointsToRedeem: "Points to redeem",
    pointsBalance: "You have {points}.",
    placeOrder: "Place order",
    placing: "Placing order…",
    payByTransfer: "You pay by bank transfer once the order is placed; we ship when the payment arrives.",
    shopTotal: "Charged as {total} in the shop currency.",
    rateOf: "{rate}, rate of {date}",
    reviewCart: "Review your cart",
    placeUnanswered: "We could not reach the shop, so we do not know whether the order went through. Place it again: it will not be placed twice.",
    priceChanged: "Prices have changed since you looked. The new total is {total}: check it and place the order again.",
    rateStaleCheckout: "The exchange rate for {currency} is out of date, so we cannot take orders in it right now.",
    currencyUnavailable: "Orders in {currency} are not possible right now.",
    payInCurrency: "Pay in {currency} instead",
    thanks: "Thank you for your order!",
    thanksText: "We will write to {email} about your order. This page shows where it is, and you can come back to it any time.",
    placedOn: "Placed {date}",
    progress: "Order progress",
    "step.PENDING_PAYMENT": "Placed",
    "step.PENDING_SHIPMENT": "Paid",
    "step.SHIPPED": "Shipped",
    "step.DELIVERED": "Delivered",
    orderCancelled: "This order was cancelled.",
    awaitingPayment: "We are waiting for your bank transfer. Please quote {number} as the reference.",
    payment: "Payment",
    payChoose: "How would you like to pay?",
    payContinue: "Continue",
    "payMethod.card": "Card",
    "payMethod.alipay": "Alipay",
    "payMethod.wechat_pay": "WeChat Pay",
    "payMethod.paypal": "PayPal",
    "payMethod.bank_transfer": "Bank transfer",
    cardNumber: "Card number",
    testCardsHint: "Test payments: no real card is charged. Try one of these:",
    "testCard.succeeds": "succeeds",
    "testCard.declines": "is declined",
    "testCard.confirm": "asks for a confirmation step",
    payAmount: "Pay {amount}",
    payNow: "Pay now",
    payDeclined: "The payment did not go through. Try another card.",
    payConfirmText: "Your bank asks you to confirm this payment.",
    payConfirm: "Confirm payment",
    payDone: "Payment received. Thank you!",
    payProcessing: "Your payment is being processed; this page shows when it is through.",
    payStripeUnavailable: "The payment form could not be loaded. Check your connection and try again.",
    payProvider: "Complete the payment as your payment provider asks; this page shows when it is through.",
    payOtherMethod: "Choose another payment method",
    shipments: "Shipments",
    noShipments: "Nothing has shipped yet.",
    trackingNumber: "Tracking number",
    opensNewTab: "opens in a new tab",
    shippedOn: "Shipped {date}",
    deliveredOn: "Delivered {date}",
    timeline: "History",
    "event.PLACED": "Order placed",
    "event.STATUS": "Status changed",
    "event.PAYMENT": "Payment received",
    "event.SHIPMENT": "Parcel sent",
    "event.NOTE": "Note",
    asPlaced: "As placed.",
    shipTo: "Ship to",
    guestTracking: "Sign in with the account you ordered with to see the full history of your orders.",
    statusNow: "Order status: {status}.",
    liveOn: "Live: this page updates by itself.",
    liveReconnecting: "Reconnecting for live updates…",
    checkedAt: "Checked for news at {time}; checked again every minute.",
    checksPaused: "Too many checks for now; checking again at {time}.",
    lookupIntro: "Enter the email address you ordered with to see where your order is.",
    trackOrder: "Track order",
    lookupNoMatch: "We found no order with this number and email address.",
    lookupSignIn: "Ordered with an account?",
  },
  de: {
    skip: "Zum Inhalt springen",
    search: "Suchen",
    searchPlaceholder: "Produkte, Marken, Artikelnummern suchen…",
    language: "Sprache",
    sortBy: "Sortieren",
    "sort.newest": "Neueste",
    "sort.price-asc": "Preis: aufsteigend",
    "sort.price-desc": "Preis: absteigend",
    "sort.bestselling": "Bestseller",
    "sort.rating": "Beste Bewertung",
    "sort.name": "Name: A–Z",
    filters: "Filter",
    category: "Kategorie",
    allCategories: "Alle Kategorien",
    brand: "Marke",
    origin: "Herkunft",
    price: "Preis",
    anyPrice: "Alle Preise",
    upTo: "Bis {max}",
    andAbove: "Ab {min}",
    availability: "Verfügbarkeit",
    inStockOnly: "Nur vorrätige Artikel",
    clearAll: "Alle entfernen",
    allProducts: "Alle Produkte",
    resultsFor: "Ergebnisse für „{q}“",
    "products.one": "{n} Produkt",
    "products.other": "{n} Produkte",
    showing: "{shown} von {total} angezeigt",
    loadMore: "Mehr laden",
    loading: "Wird geladen…",
    noResults: "Keine Produkte passen zu Ihren Filtern.",
    noResultsHint: "Entfernen Sie einen Filter oder suchen Sie nach etwas anderem.",
    from: "ab",
    inStock: "Auf Lager",
    lowStock: "Nur noch {n} Stück",
    outOfStock: "Ausverkauft",
    sale: "Sale",
    upTo: "Bis zu −{n} %",
    back: "Zurück zu den Ergebnissen",
    home: "Start",
    description: "Beschreibung",
    parameters: "Eckdaten",
    features: "Merkmale",
    instructions: "Hinweise zur Verwendung",
    details: "Details",
    material: "Material",
    model: "Modell",
    specification: "Spezifikation",
    productType: "Art",
    usage: "Verwendung",
    weight: "Gewicht",
    madeIn: "Hergestellt in: {country}",
    sku: "Art.-Nr.",
    available: "Auf Lager · {n} verfügbar",
    notFound: "Produkt nicht gefunden",
    notFoundText: "Es ist vielleicht nicht mehr im Angebot, oder der Link ist falsch.",
    error: "Etwas ist schiefgelaufen",
    retry: "Erneut versuchen",
    "reviews.one": "{n} Bewertung",
    "reviews.other": "{n} Bewertungen",
    untranslated: "Dieses Produkt ist noch nicht auf {lang} übersetzt; es wird auf {shown} angezeigt.",
    combination: "Diese Kombination ist nicht erhältlich.",
    image: "Bild {n}",
    noImage: "Kein Bild",
    searchChip: "„{q}“",
    remove: "Filter entfernen: {name}",
    footer: "Tradewind · Waren unabhängiger Hersteller aus aller Welt, grenzüberschreitend versandt.",
    account: "Konto",
    signIn: "Anmelden",
    signOut: "Abmelden",
    myAccount: "Mein Konto",
    signInMethod: "Anmeldeart",
    withPassword: "Passwort",
    withPhoneCode: "SMS-Code",
    email: "E-Mail",
    emailOrPhone: "E-Mail oder Telefonnummer",
    password: "Passwort",
    newPassword: "Neues Passwort",
    passwordHint: "Mindestens 10 Zeichen.",
    phone: "Telefonnummer",
    phoneHint: "Mit Ländervorwahl, z. B. +49 30 1234567.",
    code: "Code",
    codeSentTo: "Wir haben einen Code an {to} gesendet.",
    sendCode: "Code senden",
    sendAgain: "Erneut senden",
    codeResent: "Ein neuer Code ist unterwegs.",
    changeLogin: "Andere Nummer verwenden",
    forgotPassword: "Passwort vergessen?",
    noAccount: "Neu hier?",
    haveAccount: "Sie haben schon ein Konto?",
    createAccount: "Konto erstellen",
    nickname: "Spitzname",
    optional: "optional",
    confirm: "Bestätigen",
    resetPassword: "Passwort zurücksetzen",
    resetIntro: "Geben Sie Ihre E-Mail oder Telefonnummer ein, wir senden Ihnen einen Code.",
    setPassword: "Passwort festlegen",
    backToSignIn: "Zurück zur Anmeldung",
    or: "oder",
    continueWith: "Weiter mit {provider}",
    oauthFailed: "Die Anmeldung über diesen Anbieter hat nicht geklappt. Bitte erneut versuchen.",
    rateLimited: "Zu viele Versuche. Erneut versuchen in {time}.",
    profile: "Profil",
    noTier: "Noch keine Mitgliedsstufe",
    pointsLabel: "Punkte",
    "points.one": "{n} Punkt",
    "points.other": "{n} Punkte",
    expiring: "{points} verfallen am {date}.",
    dailyCheckIn: "Täglicher Check-in",
    "streak.one": "{n} Tag in Folge",
    "streak.other": "{n} Tage in Folge",
    checkInFor: "Einchecken · +{n}",
    checkedInToday: "Heute erledigt. Morgen: +{n}.",
    checkedIn: "Eingecheckt: +{points} · {streak}.",
    preferredLanguage: "Bevorzugte Sprache",
    currency: "Währung",
    notSet: "Nicht festgelegt",
    save: "Speichern",
    saved: "Gespeichert.",
    cancel: "Abbrechen",
    addresses: "Adressen",
    addAddress: "Adresse hinzufügen",
    editAddress: "Adresse bearbeiten",
    noAddresses: "Noch keine gespeicherten Adressen.",
    default: "Standard",
    setDefault: "Als Standard",
    makeDefault: "Als Standardadresse verwenden",
    edit: "Bearbeiten",
    delete: "Löschen",
    confirmDelete: "Diese Adresse löschen?",
    addressSaved: "Adresse gespeichert.",
    addressDeleted: "Adresse gelöscht.",
    fullName: "Vollständiger Name",
    company: "Firma",
    line1: "Straße und Hausnummer",
    line2: "Adresszusatz",
    city: "Ort",
    region: "Bundesland / Region",
    postalCode: "Postleitzahl",
    country: "Land",
    recentPoints: "Letzte Punkte",
    noPoints: "Noch keine Punkte. Checken Sie täglich ein, um welche zu sammeln.",
    "kind.ORDER": "Bestellung",
    "kind.CHECK_IN": "Täglicher Check-in",
    "kind.REVIEW": "Bewertung",
    "kind.REDEMPTION": "Prämie",
    "kind.REFUND": "Erstattung",
    "kind.EXPIRY": "Verfallen",
    "kind.ADJUSTMENT": "Korrektur",
    recentOrders: "Letzte Bestellungen",
    noOrders: "Noch keine Bestellungen.",
    orderNumber: "Bestellung {number}",
    "status.PENDING_PAYMENT": "Zahlung ausstehend",
    "status.PENDING_SHIPMENT": "In Vorbereitung",
    "status.SHIPPED": "Versandt",
    "status.DELIVERED": "Zugestellt",
    "status.COMPLETED": "Abgeschlossen",
    "status.CANCELLED": "Storniert",
    "items.one": "{n} Artikel",
    "items.other": "{n} Artikel",
    rewards: "Prämien",
    noRewards: "Zurzeit keine Prämien.",
    redeem: "Einlösen",
    left: "Noch {n}",
    needMore: "Noch {points} nötig",
    unavailable: "Zurzeit nicht verfügbar",
    confirmRedeem: "{points} für „{name}“ einlösen?",
    redeemed: "Eingelöst: {name}.",
    couponCode: "Ihr Gutscheincode: {code}",
    cart: "Warenkorb",
    addToCart: "In den Warenkorb",
    quantity: "Menge",
    added: "{n} in den Warenkorb gelegt.",
    viewCart: "Zum Warenkorb",
    rateStale: "Preise in {currency} sind unverbindlich: Der Wechselkurs ist vom {date}.",
    rateStaleUndated: "Preise in {currency} sind unverbindlich: Der Wechselkurs ist veraltet.",
    cartLines: "Artikel im Warenkorb",
    cartEmpty: "Ihr Warenkorb ist leer.",
    continueShopping: "Weiter einkaufen",
    orderSummary: "Bestellübersicht",
    subtotal: "Zwischensumme",
    memberDiscount: "Mitgliederrabatt",
    couponDiscount: "Gutschein",
    pointsDiscount: "Punkte",
    pointsDiscountN: "Punkte ({points})",
    discounts: "Rabatte",
    shipping: "Versand",
    total: "Gesamt",
    totalBeforeShipping: "Gesamt ohne Versand",
    shippingAtCheckout: "Die Versandkosten werden an der Kasse berechnet.",
    fixLines: "Einige Artikel sind nicht in der gewählten Menge erhältlich. Ändern oder entfernen Sie sie, um fortzufahren.",
    checkout: "Zur Kasse",
    quantityOf: "Menge von {name}",
    decrease: "Ein Stück weniger: {name}",
    increase: "Ein Stück mehr: {name}",
    removeLine: "{name} entfernen",
    onlyAvailable: "Nur {n} verfügbar",
    soldOutLine: "Ausverkauft",
    couponLabel: "Gutscheincode",
    apply: "Einlösen",
    couponApplied: "Code {code} eingelöst.",
    couponNotApplied: "Code {code} gilt nicht.",
    removeCoupon: "Code entfernen",
    contact: "Kontakt",
    orderingAs: "Sie bestellen als {email}.",
    emailHint: "Für die Bestellbestätigung und die Sendungsverfolgung.",
    shippingAddress: "Lieferadresse",
    phoneForCarrier: "Für den Zusteller, falls es Fragen zur Lieferung gibt.",
    shippingMethod: "Versandart",
    shippingTo: "Nach {place}:",
    shippingNeedsAddress: "Geben Sie die Adresse ein, um die möglichen Versandarten zu sehen.",
    noShipping: "Wir können diese Bestellung noch nicht nach {country} liefern.",
    "businessDays.one": "{n} Werktag",
    "businessDays.other": "{n} Werktage",
    businessDaysRange: "{min}–{max} Werktage",
    arrivesBy: "bis {date}",
    chooseShipping: "Wählen Sie eine Versandart.",
    pointsTitle: "Punkte",
    pointsToRedeem: "Einzulösende Punkte",
    pointsBalance: "Sie haben {points}.",
    placeOrder: "Zahlungspflichtig bestellen",
    placing: "Bestellung wird aufgegeben…",
    payByTransfer: "Sie bezahlen nach der Bestellung per Überweisung; wir versenden, sobald die Zahlung eingegangen ist.",
    shopTotal: "Abgerechnet als {total} in der Shop-Währung.",
    rateOf: "{rate}, Kurs vom {date}",
    reviewCart: "Warenkorb prüfen",
    placeUnanswered: "Der Shop war nicht erreichbar, daher wissen wir nicht, ob die Bestellung eingegangen ist. Bestellen Sie erneut: Sie wird nicht doppelt aufgegeben.",
    priceChanged: "Die Preise haben sich geändert. Der neue Gesamtbetrag ist {total}: Bitte prüfen Sie ihn und bestellen Sie erneut.",
    rateStaleCheckout: "Der Wechselkurs für {currency} ist veraltet, daher können wir gerade keine Bestellungen in dieser Währung annehmen.",
    currencyUnavailable: "Bestellungen in {currency} sind gerade nicht möglich.",
    payInCurrency: "Stattdessen in {currency} bezahlen",
    thanks: "Vielen Dank für Ihre Bestellung!",
    thanksText: "Wir schreiben Ihnen an {email}, wenn es Neuigkeiten gibt. Auf dieser Seite sehen Sie jederzeit, wo Ihre Bestellung ist.",
    placedOn: "Bestellt am {date}",
    progress: "Bestellfortschritt",
    "step.PENDING_PAYMENT": "Bestellt",
    "step.PENDING_SHIPMENT": "Bezahlt",
    "step.SHIPPED": "Versandt",
    "step.DELIVERED": "Zugestellt",
    orderCancelled: "Diese Bestellung wurde storniert.",
    awaitingPayment: "Wir warten auf Ihre Überweisung. Bitte geben Sie {number} als Verwendungszweck an.",
    payment: "Zahlung",
    payChoose: "Wie möchten Sie bezahlen?",
    payContinue: "Weiter",
    "payMethod.card": "Karte",
    "payMethod.alipay": "Alipay",
    "payMethod.wechat_pay": "WeChat Pay",
    "payMethod.paypal": "PayPal",
    "payMethod.bank_transfer": "Überweisung",
    cardNumber: "Kartennummer",
    testCardsHint: "Testzahlungen: Es wird keine echte Karte belastet. Probieren Sie eine dieser Karten:",
    "testCard.succeeds": "wird akzeptiert",
    "testCard.declines": "wird abgelehnt",
    "testCard.confirm": "verlangt eine Bestätigung",
    payAmount: "{amount} bezahlen",
    payNow: "Jetzt bezahlen",
    payDeclined: "Die Zahlung ist nicht durchgegangen. Versuchen Sie es mit einer anderen Karte.",
    payConfirmText: "Ihre Bank bittet Sie, diese Zahlung zu bestätigen.",
    payConfirm: "Zahlung bestätigen",
    payDone: "Zahlung erhalten. Vielen Dank!",
    payProcessing: "Ihre Zahlung wird bearbeitet; diese Seite zeigt an, sobald sie durch ist.",
    payStripeUnavailable: "Das Zahlungsformular konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    payProvider: "Schließen Sie die Zahlung wie von Ihrem Zahlungsanbieter verlangt ab; diese Seite zeigt an, sobald sie durch ist.",
    payOtherMethod: "Andere Zahlungsart wählen",
    shipments: "Sendungen",
    noShipments: "Noch nichts versandt.",
    trackingNumber: "Sendungsnummer",
    opensNewTab: "öffnet in einem neuen Tab",
    shippedOn: "Versandt am {date}",
    deliveredOn: "Zugestellt am {date}",
    timeline: "Verlauf",
    "event.PLACED": "Bestellung aufgegeben",
    "event.STATUS": "Status geändert",
    "event.PAYMENT": "Zahlung eingegangen",
    "event.SHIPMENT": "Paket versandt",
    "event.NOTE": "Notiz",
    asPlaced: "Stand bei der Bestellung.",
    shipTo: "Lieferung an",
    guestTracking: "Melden Sie sich mit dem Konto an, mit dem Sie bestellt haben, um den vollständigen Verlauf zu sehen.",
    statusNow: "Bestellstatus: {status}.",
    liveOn: "Live: Diese Seite aktualisiert sich von selbst.",
    liveReconnecting: "Verbindung für Live-Updates wird wiederhergestellt…",
    checkedAt: "Zuletzt um {time} geprüft; jede Minute erneut.",
    checksPaused: "Zu viele Abfragen; nächste Prüfung um {time}.",
    lookupIntro: "Geben Sie die E-Mail-Adresse ein, mit der Sie bestellt haben, um zu sehen, wo Ihre Bestellung ist.",
    trackOrder: "Bestellung verfolgen",
    lookupNoMatch: "Wir haben keine Bestellung mit dieser Nummer und E-Mail-Adresse gefunden.",
    lookupSignIn: "Mit einem Konto bestellt?",
  },
  fr: {
    skip: "Aller au contenu",
    search: "Rechercher",
    searchPlaceholder: "Rechercher produits, marques, références…",
    language: "Langue",
    sortBy: "Trier par",
    "sort.newest": "Nouveautés",
    "sort.price-asc": "Prix croissant",
    "sort.price-desc": "Prix décroissant",
    "sort.bestselling": "Meilleures ventes",
    "sort.rating": "Mieux notés",
    "sort.name": "Nom : A–Z",
    filters: "Filtres",
    category: "Catégorie",
    allCategories: "Toutes les catégories",
    brand: "Marque",
    origin: "Pays d'origine",
    price: "Prix",
    anyPrice: "Tous les prix",
    upTo: "Jusqu’à {max}",
    andAbove: "{min} et plus",
    availability: "Disponibilité",
    inStockOnly: "En stock uniquement",
    clearAll: "Tout effacer",
    allProducts: "Tous les produits",
    resultsFor: "Résultats pour « {q} »",
    "products.one": "{n} produit",
    "products.other": "{n} produits",
    showing: "{shown} sur {total}",
    loadMore: "Voir plus",
    loading: "Chargement…",
    noResults: "Aucun produit ne correspond à vos filtres.",
    noResultsHint: "Retirez un filtre ou essayez une autre recherche.",
    from: "à partir de",
    inStock: "En stock",
    lowStock: "Plus que {n}",
    outOfStock: "Épuisé",
    sale: "Promo",
    upTo: "Jusqu’à −{n} %",
    back: "Retour aux résultats",
    home: "Accueil",
    description: "Description",
    parameters: "Caractéristiques",
    features: "Points forts",
    instructions: "Mode d'emploi",
    details: "Détails",
    material: "Matière",
    model: "Modèle",
    specification: "Spécification",
    productType: "Type",
    usage: "Usage",
    weight: "Poids",
    madeIn: "Fabriqué en : {country}",
    sku: "Réf.",
    available: "En stock · {n} disponibles",
    notFound: "Produit introuvable",
    notFoundText: "Il n'est peut-être plus en vente, ou le lien est erroné.",
    error: "Une erreur s'est produite",
    retry: "Réessayer",
    "reviews.one": "{n} avis",
    "reviews.other": "{n} avis",
    untranslated: "Ce produit n'est pas encore traduit en {lang} ; il est affiché en {shown}.",
    combination: "Cette combinaison n'est pas disponible.",
    image: "Image {n}",
    noImage: "Pas d'image",
    searchChip: "« {q} »",
    remove: "Retirer le filtre : {name}",
    footer: "Tradewind · Des produits de créateurs indépendants du monde entier, livrés partout.",
    account: "Compte",
    signIn: "Se connecter",
    signOut: "Se déconnecter",
    myAccount: "Mon compte",
    signInMethod: "Mode de connexion",
    withPassword: "Mot de passe",
    withPhoneCode: "Code par SMS",
    email: "E-mail",
    emailOrPhone: "E-mail ou numéro de téléphone",
    password: "Mot de passe",
    newPassword: "Nouveau mot de passe",
    passwordHint: "Au moins 10 caractères.",
    phone: "Numéro de téléphone",
    phoneHint: "Avec l’indicatif du pays, p. ex. +33 1 23 45 67 89.",
    code: "Code",
    codeSentTo: "Nous avons envoyé un code à {to}.",
    sendCode: "Envoyer le code",
    sendAgain: "Renvoyer",
    codeResent: "Un nouveau code est en route.",
    changeLogin: "Utiliser un autre numéro",
    forgotPassword: "Mot de passe oublié ?",
    noAccount: "Nouveau ici ?",
    haveAccount: "Vous avez déjà un compte ?",
    createAccount: "Créer un compte",
    nickname: "Pseudo",
    optional: "facultatif",
    confirm: "Confirmer",
    resetPassword: "Réinitialiser le mot de passe",
    resetIntro: "Saisissez votre e-mail ou numéro de téléphone, nous vous enverrons un code.",
    setPassword: "Enregistrer le mot de passe",
    backToSignIn: "Retour à la connexion",
    or: "ou",
    continueWith: "Continuer avec {provider}",
    oauthFailed: "La connexion avec ce service a échoué. Veuillez réessayer.",
    rateLimited: "Trop de tentatives. Réessayez dans {time}.",
    profile: "Profil",
    noTier: "Pas encore de niveau de fidélité",
    pointsLabel: "points",
    "points.one": "{n} point",
    "points.other": "{n} points",
    expiring: "{points} expirent le {date}.",
    dailyCheckIn: "Présence quotidienne",
    "streak.one": "{n} jour d’affilée",
    "streak.other": "{n} jours d’affilée",
    checkInFor: "Pointer · +{n}",
    checkedInToday: "C’est fait pour aujourd’hui. Demain : +{n}.",
    checkedIn: "Présence enregistrée : +{points} · {streak}.",
    preferredLanguage: "Langue préférée",
    currency: "Devise",
    notSet: "Non défini",
    save: "Enregistrer",
    saved: "Enregistré.",
    cancel: "Annuler",
    addresses: "Adresses",
    addAddress: "Ajouter une adresse",
    editAddress: "Modifier l’adresse",
    noAddresses: "Aucune adresse enregistrée.",
    default: "Par défaut",
    setDefault: "Définir par défaut",
    makeDefault: "Utiliser comme adresse par défaut",
    edit: "Modifier",
    delete: "Supprimer",
    confirmDelete: "Supprimer cette adresse ?",
    addressSaved: "Adresse enregistrée.",
    addressDeleted: "Adresse supprimée.",
    fullName: "Nom complet",
    company: "Société",
    line1: "Adresse",
    line2: "Appartement, bâtiment, etc.",
    city: "Ville",
    region: "Région / province",
    postalCode: "Code postal",
    country: "Pays",
    recentPoints: "Points récents",
    noPoints: "Pas encore de points. Pointez chaque jour pour en gagner.",
    "kind.ORDER": "Commande",
    "kind.CHECK_IN": "Présence quotidienne",
    "kind.REVIEW": "Avis",
    "kind.REDEMPTION": "Récompense",
    "kind.REFUND": "Remboursement",
    "kind.EXPIRY": "Expirés",
    "kind.ADJUSTMENT": "Ajustement",
    recentOrders: "Commandes récentes",
    noOrders: "Aucune commande pour l’instant.",
    orderNumber: "Commande {number}",
    "status.PENDING_PAYMENT": "En attente de paiement",
    "status.PENDING_SHIPMENT": "En préparation",
    "status.SHIPPED": "Expédiée",
    "status.DELIVERED": "Livrée",
    "status.COMPLETED": "Terminée",
    "status.CANCELLED": "Annulée",
    "items.one": "{n} article",
    "items.other": "{n} articles",
    rewards: "Récompenses",
    noRewards: "Aucune récompense pour le moment.",
    redeem: "Échanger",
    left: "Plus que {n}",
    needMore: "Encore {points} nécessaires",
    unavailable: "Indisponible pour le moment",
    confirmRedeem: "Dépenser {points} pour « {name} » ?",
    redeemed: "Échangé : {name}.",
    couponCode: "Votre code promo : {code}",
    cart: "Panier",
    addToCart: "Ajouter au panier",
    quantity: "Quantité",
    added: "{n} ajouté(s) au panier.",
    viewCart: "Voir le panier",
    rateStale: "Les prix en {currency} sont indicatifs : le taux de change date du {date}.",
    rateStaleUndated: "Les prix en {currency} sont indicatifs : le taux de change n’est pas à jour.",
    cartLines: "Articles du panier",
    cartEmpty: "Votre panier est vide.",
    continueShopping: "Continuer mes achats",
    orderSummary: "Récapitulatif",
    subtotal: "Sous-total",
    memberDiscount: "Remise membre",
    couponDiscount: "Code promo",
    pointsDiscount: "Points",
    pointsDiscountN: "Points ({points})",
    discounts: "Remises",
    shipping: "Livraison",
    total: "Total",
    totalBeforeShipping: "Total hors livraison",
    shippingAtCheckout: "Les frais de livraison sont calculés à la commande.",
    fixLines: "Certains articles ne sont pas disponibles dans la quantité choisie. Modifiez-les ou retirez-les pour continuer.",
    checkout: "Commander",
    quantityOf: "Quantité de {name}",
    decrease: "Un de moins : {name}",
    increase: "Un de plus : {name}",
    removeLine: "Retirer {name}",
    onlyAvailable: "Seulement {n} disponible(s)",
    soldOutLine: "Épuisé",
    couponLabel: "Code promo",
    apply: "Appliquer",
    couponApplied: "Code {code} appliqué.",
    couponNotApplied: "Le code {code} ne s’applique pas.",
    removeCoupon: "Retirer le code",
    contact: "Contact",
    orderingAs: "Vous commandez en tant que {email}.",
    emailHint: "Pour la confirmation et le suivi de la commande.",
    shippingAddress: "Adresse de livraison",
    phoneForCarrier: "Pour le transporteur, en cas de question sur la livraison.",
    shippingMethod: "Mode de livraison",
    shippingTo: "Vers {place} :",
    shippingNeedsAddress: "Saisissez l’adresse pour voir les modes de livraison possibles.",
    noShipping: "Nous ne livrons pas encore cette commande vers : {country}.",
    "businessDays.one": "{n} jour ouvré",
    "businessDays.other": "{n} jours ouvrés",
    businessDaysRange: "{min} à {max} jours ouvrés",
    arrivesBy: "d’ici le {date}",
    chooseShipping: "Choisissez un mode de livraison.",
    pointsTitle: "Points",
    pointsToRedeem: "Points à utiliser",
    pointsBalance: "Vous avez {points}.",
    placeOrder: "Passer la commande",
    placing: "Commande en cours…",
    payByTransfer: "Vous payez par virement une fois la commande passée ; nous expédions dès réception du paiement.",
    shopTotal: "Facturé {total} dans la devise de la boutique.",
    rateOf: "{rate}, taux du {date}",
    reviewCart: "Vérifier le panier",
    placeUnanswered: "La boutique n’a pas répondu : nous ne savons pas si la commande est passée. Recommencez : elle ne sera pas passée deux fois.",
    priceChanged: "Les prix ont changé. Le nouveau total est de {total} : vérifiez-le et passez la commande à nouveau.",
    rateStaleCheckout: "Le taux de change pour {currency} n’est pas à jour : nous ne pouvons pas prendre de commande dans cette devise pour le moment.",
    currencyUnavailable: "Les commandes en {currency} ne sont pas possibles pour le moment.",
    payInCurrency: "Payer plutôt en {currency}",
    thanks: "Merci pour votre commande !",
    thanksText: "Nous vous écrirons à {email} au sujet de votre commande. Cette page indique à tout moment où elle en est.",
    placedOn: "Passée le {date}",
    progress: "Avancement de la commande",
    "step.PENDING_PAYMENT": "Passée",
    "step.PENDING_SHIPMENT": "Payée",
    "step.SHIPPED": "Expédiée",
    "step.DELIVERED": "Livrée",
    orderCancelled: "Cette commande a été annulée.",
    awaitingPayment: "Nous attendons votre virement. Indiquez {number} comme référence.",
    payment: "Paiement",
    payChoose: "Comment souhaitez-vous payer ?",
    payContinue: "Continuer",
    "payMethod.card": "Carte",
    "payMethod.alipay": "Alipay",
    "payMethod.wechat_pay": "WeChat Pay",
    "payMethod.paypal": "PayPal",
    "payMethod.bank_transfer": "Virement bancaire",
    cardNumber: "Numéro de carte",
    testCardsHint: "Paiements de test : aucune vraie carte n’est débitée. Essayez l’une de celles-ci :",
    "testCard.succeeds": "est acceptée",
    "testCard.declines": "est refusée",
    "testCard.confirm": "demande une étape de confirmation",
    payAmount: "Payer {amount}",
    payNow: "Payer maintenant",
    payDeclined: "Le paiement n’a pas abouti. Essayez une autre carte.",
    payConfirmText: "Votre banque vous demande de confirmer ce paiement.",
    payConfirm: "Confirmer le paiement",
    payDone: "Paiement reçu. Merci !",
    payProcessing: "Votre paiement est en cours de traitement ; cette page indiquera quand il aura abouti.",
    payStripeUnavailable: "Le formulaire de paiement n’a pas pu être chargé. Vérifiez votre connexion et réessayez.",
    payProvider: "Terminez le paiement comme votre prestataire de paiement le demande ; cette page indiquera quand il aura abouti.",
    payOtherMethod: "Choisir un autre moyen de paiement",
    shipments: "Colis",
    noShipments: "Rien n’a encore été expédié.",
    trackingNumber: "Numéro de suivi",
    opensNewTab: "s’ouvre dans un nouvel onglet",
    shippedOn: "Expédié le {date}",
    deliveredOn: "Livré le {date}",
    timeline: "Historique",
    "event.PLACED": "Commande passée",
    "event.STATUS": "Statut modifié",
    "event.PAYMENT": "Paiement reçu",
    "event.SHIPMENT": "Colis expédié",
    "event.NOTE": "Note",
    asPlaced: "Tel que commandé.",
    shipTo: "Livrer à",
    guestTracking: "Connectez-vous avec le compte utilisé pour commander pour voir l’historique complet.",
    statusNow: "Statut de la commande : {status}.",
    liveOn: "En direct : cette page se met à jour toute seule.",
    liveReconnecting: "Reconnexion pour les mises à jour en direct…",
    checkedAt: "Vérifié à {time} ; nouvelle vérification toutes les minutes.",
    checksPaused: "Trop de vérifications pour l’instant ; prochaine à {time}.",
    lookupIntro: "Saisissez l’adresse e-mail utilisée pour commander afin de voir où en est votre commande.",
    trackOrder: "Suivre la commande",
    lookupNoMatch: "Aucune commande ne correspond à ce numéro et à cette adresse e-mail.",
    lookupSignIn: "Commandé avec un compte ?",
  },
  ja: {
    skip: "本文へ移動",
    search: "検索",
    searchPlaceholder: "商品・ブランド・SKUを検索…",
    language: "言語",
    sortBy: "並び替え",
    "sort.newest": "新着順",
    "sort.price-asc": "価格の安い順",
    "sort.price-desc": "価格の高い順",
    "sort.bestselling": "売れ筋順",
    "sort.rating": "評価の高い順",
    "sort.name": "名前順",
    filters: "絞り込み",
    category: "カテゴリー",
    allCategories: "すべてのカテゴリー",
    brand: "ブランド",
    origin: "原産国",
    price: "価格",
    anyPrice: "すべての価格",
    upTo: "{max}以下",
    andAbove: "{min}以上",
    availability: "在庫",
    inStockOnly: "在庫ありのみ",
    clearAll: "すべて解除",
    allProducts: "すべての商品",
    resultsFor: "「{q}」の検索結果",
    "products.one": "{n}件の商品",
    "products.other": "{n}件の商品",
    showing: "{total}件中{shown}件を表示",
    loadMore: "さらに表示",
    loading: "読み込み中…",
    noResults: "条件に合う商品はありません。",
    noResultsHint: "絞り込みを解除するか、別のキーワードで検索してください。",
    from: "",
    fromSuffix: "〜",
    inStock: "在庫あり",
    lowStock: "残り{n}点",
    outOfStock: "在庫切れ",
    sale: "セール",
    upTo: "最大{n}%オフ",
    back: "検索結果に戻る",
    home: "ホーム",
    description: "商品説明",
    parameters: "基本情報",
    features: "特長",
    instructions: "使用方法",
    details: "詳細",
    material: "素材",
    model: "型番",
    specification: "仕様",
    productType: "種類",
    usage: "用途",
    weight: "重量",
    madeIn: "原産国：{country}",
    sku: "SKU",
    available: "在庫あり・残り{n}点",
    notFound: "商品が見つかりません",
    notFoundText: "販売が終了したか、リンクが正しくない可能性があります。",
    error: "エラーが発生しました",
    retry: "再試行",
    "reviews.one": "{n}件のレビュー",
    "reviews.other": "{n}件のレビュー",
    untranslated: "この商品はまだ{lang}に翻訳されていないため、{shown}で表示しています。",
    combination: "この組み合わせはご用意がありません。",
    image: "画像{n}",
    noImage: "画像なし",
    searchChip: "「{q}」",
    remove: "絞り込みを解除：{name}",
    footer: "Tradewind · 世界各地のインディペンデントな作り手の品を、国境を越えてお届けします。",
    account: "アカウント",
    signIn: "ログイン",
    signOut: "ログアウト",
    myAccount: "マイアカウント",
    signInMethod: "ログイン方法",
    withPassword: "パスワード",
    withPhoneCode: "SMSコード",
    email: "メールアドレス",
    emailOrPhone: "メールアドレスまたは電話番号",
    password: "パスワード",
    newPassword: "新しいパスワード",
    passwordHint: "10文字以上。",
    phone: "電話番号",
    phoneHint: "国番号から入力（例：+81 3 1234 5678）。",
    code: "確認コード",
    codeSentTo: "{to} に確認コードを送信しました。",
    sendCode: "コードを送信",
    sendAgain: "再送信",
    codeResent: "新しいコードを送信しました。",
    changeLogin: "別の番号を使う",
    forgotPassword: "パスワードをお忘れですか？",
    noAccount: "はじめての方",
    haveAccount: "アカウントをお持ちの方",
    createAccount: "アカウント作成",
    nickname: "ニックネーム",
    optional: "任意",
    confirm: "確認",
    resetPassword: "パスワードの再設定",
    resetIntro: "メールアドレスまたは電話番号を入力してください。確認コードをお送りします。",
    setPassword: "パスワードを設定",
    backToSignIn: "ログインに戻る",
    or: "または",
    continueWith: "{provider}で続ける",
    oauthFailed: "このサービスでのログインに失敗しました。もう一度お試しください。",
    rateLimited: "試行回数が多すぎます。{time}後にもう一度お試しください。",
    profile: "プロフィール",
    noTier: "会員ランクはまだありません",
    pointsLabel: "ポイント",
    "points.one": "{n}ポイント",
    "points.other": "{n}ポイント",
    expiring: "{points}が{date}に失効します。",
    dailyCheckIn: "毎日チェックイン",
    "streak.one": "{n}日連続",
    "streak.other": "{n}日連続",
    checkInFor: "チェックイン · +{n}",
    checkedInToday: "本日は完了。明日：+{n}。",
    checkedIn: "チェックインしました：+{points} · {streak}。",
    preferredLanguage: "希望言語",
    currency: "通貨",
    notSet: "未設定",
    save: "保存",
    saved: "保存しました。",
    cancel: "キャンセル",
    addresses: "住所録",
    addAddress: "住所を追加",
    editAddress: "住所を編集",
    noAddresses: "登録済みの住所はありません。",
    default: "既定",
    setDefault: "既定にする",
    makeDefault: "既定の住所にする",
    edit: "編集",
    delete: "削除",
    confirmDelete: "この住所を削除しますか？",
    addressSaved: "住所を保存しました。",
    addressDeleted: "住所を削除しました。",
    fullName: "氏名",
    company: "会社名",
    line1: "番地",
    line2: "建物名・部屋番号",
    city: "市区町村",
    region: "都道府県",
    postalCode: "郵便番号",
    country: "国",
    recentPoints: "最近のポイント",
    noPoints: "まだポイントはありません。毎日チェックインして貯めましょう。",
    "kind.ORDER": "ご注文",
    "kind.CHECK_IN": "毎日チェックイン",
    "kind.REVIEW": "レビュー",
    "kind.REDEMPTION": "特典交換",
    "kind.REFUND": "返金",
    "kind.EXPIRY": "失効",
    "kind.ADJUSTMENT": "調整",
    recentOrders: "最近のご注文",
    noOrders: "まだご注文はありません。",
    orderNumber: "注文 {number}",
    "status.PENDING_PAYMENT": "お支払い待ち",
    "status.PENDING_SHIPMENT": "発送準備中",
    "status.SHIPPED": "発送済み",
    "status.DELIVERED": "配達済み",
    "status.COMPLETED": "完了",
    "status.CANCELLED": "キャンセル",
    "items.one": "{n}点",
    "items.other": "{n}点",
    rewards: "特典",
    noRewards: "現在交換できる特典はありません。",
    redeem: "交換する",
    left: "残り{n}",
    needMore: "あと{points}必要",
    unavailable: "現在ご利用いただけません",
    confirmRedeem: "{points}を使って「{name}」と交換しますか？",
    redeemed: "交換しました：{name}。",
    couponCode: "クーポンコード：{code}",
    cart: "カート",
    addToCart: "カートに入れる",
    quantity: "数量",
    added: "{n}点をカートに入れました。",
    viewCart: "カートを見る",
    rateStale: "{currency}での価格は目安です（為替レートは{date}時点）。",
    rateStaleUndated: "{currency}での価格は目安です（為替レートが古くなっています）。",
    cartLines: "カート内の商品",
    cartEmpty: "カートは空です。",
    continueShopping: "買い物を続ける",
    orderSummary: "ご注文内容",
    subtotal: "小計",
    memberDiscount: "会員割引",
    couponDiscount: "クーポン",
    pointsDiscount: "ポイント",
    pointsDiscountN: "ポイント（{points}）",
    discounts: "割引",
    shipping: "送料",
    total: "合計",
    totalBeforeShipping: "合計（送料別）",
    shippingAtCheckout: "送料はご注文手続きで計算されます。",
    fixLines: "選択した数量をご用意できない商品があります。数量を変更するか削除してください。",
    checkout: "ご注文手続きへ",
    quantityOf: "{name}の数量",
    decrease: "{name}を1つ減らす",
    increase: "{name}を1つ増やす",
    removeLine: "{name}を削除",
    onlyAvailable: "在庫は{n}点のみ",
    soldOutLine: "売り切れ",
    couponLabel: "クーポンコード",
    apply: "適用",
    couponApplied: "コード{code}を適用しました。",
    couponNotApplied: "コード{code}は適用できません。",
    removeCoupon: "コードを外す",
    contact: "連絡先",
    orderingAs: "{email}としてご注文します。",
    emailHint: "注文確認と配送状況のお知らせに使います。",
    shippingAddress: "お届け先",
    phoneForCarrier: "配送についての確認のため、配送業者が使います。",
    shippingMethod: "配送方法",
    shippingTo: "お届け先：{place}",
    shippingNeedsAddress: "住所を入力すると、選べる配送方法が表示されます。",
    noShipping: "このご注文は{country}へはまだ発送できません。",
    "businessDays.one": "{n}営業日",
    "businessDays.other": "{n}営業日",
    businessDaysRange: "{min}〜{max}営業日",
    arrivesBy: "{date}までにお届け",
    chooseShipping: "配送方法を選んでください。",
    pointsTitle: "ポイント",
    pointsToRedeem: "利用するポイント",
    pointsBalance: "保有ポイント：{points}",
    placeOrder: "注文を確定する",
    placing: "注文を送信中…",
    payByTransfer: "ご注文後に銀行振込でお支払いください。入金を確認してから発送します。",
    shopTotal: "ショップ通貨では{total}として請求されます。",
    rateOf: "{rate}（{date}のレート）",
    reviewCart: "カートを確認する",
    placeUnanswered: "ショップに接続できず、注文が完了したか分かりません。もう一度確定してください。二重に注文されることはありません。",
    priceChanged: "価格が変更されました。新しい合計は{total}です。内容をご確認のうえ、もう一度注文を確定してください。",
    rateStaleCheckout: "{currency}の為替レートが古いため、現在この通貨でのご注文は承れません。",
    currencyUnavailable: "現在{currency}でのご注文はできません。",
    payInCurrency: "{currency}で支払う",
    thanks: "ご注文ありがとうございます！",
    thanksText: "ご注文についてのご連絡は{email}にお送りします。このページでいつでも注文の状況を確認できます。",
    placedOn: "注文日時：{date}",
    progress: "注文の状況",
    "step.PENDING_PAYMENT": "注文済み",
    "step.PENDING_SHIPMENT": "支払い済み",
    "step.SHIPPED": "発送済み",
    "step.DELIVERED": "配達済み",
    orderCancelled: "このご注文はキャンセルされました。",
    awaitingPayment: "お振込みをお待ちしています。振込名義の前に{number}をご記入ください。",
    payment: "お支払い",
    payChoose: "お支払い方法を選択してください",
    payContinue: "次へ",
    "payMethod.card": "カード",
    "payMethod.alipay": "Alipay",
    "payMethod.wechat_pay": "WeChat Pay",
    "payMethod.paypal": "PayPal",
    "payMethod.bank_transfer": "銀行振込",
    cardNumber: "カード番号",
    testCardsHint: "テスト決済です。実際のカードには請求されません。次のいずれかをお試しください：",
    "testCard.succeeds": "決済成功",
    "testCard.declines": "決済拒否",
    "testCard.confirm": "確認ステップが必要",
    payAmount: "{amount}を支払う",
    payNow: "今すぐ支払う",
    payDeclined: "お支払いが完了しませんでした。別のカードをお試しください。",
    payConfirmText: "カード会社からこのお支払いの確認を求められています。",
    payConfirm: "お支払いを確認",
    payDone: "お支払いを受け付けました。ありがとうございます。",
    payProcessing: "お支払いを処理中です。完了するとこのページに表示されます。",
    payStripeUnavailable: "お支払いフォームを読み込めませんでした。接続を確認して、もう一度お試しください。",
    payProvider: "決済サービスの案内に従ってお支払いを完了してください。完了するとこのページに表示されます。",
    payOtherMethod: "別のお支払い方法を選ぶ",
    shipments: "配送",
    noShipments: "まだ発送されていません。",
    trackingNumber: "追跡番号",
    opensNewTab: "新しいタブで開きます",
    shippedOn: "{date}に発送",
    deliveredOn: "{date}に配達",
    timeline: "履歴",
    "event.PLACED": "注文を受け付けました",
    "event.STATUS": "状況が変わりました",
    "event.PAYMENT": "入金を確認しました",
    "event.SHIPMENT": "発送しました",
    "event.NOTE": "メモ",
    asPlaced: "注文時の内容です。",
    shipTo: "お届け先",
    guestTracking: "注文したアカウントでログインすると、すべての履歴を確認できます。",
    statusNow: "注文の状況：{status}",
    liveOn: "ライブ：このページは自動で更新されます。",
    liveReconnecting: "ライブ更新に再接続しています…",
    checkedAt: "{time}に確認しました。1分ごとに確認します。",
    checksPaused: "確認回数が多すぎます。次は{time}に確認します。",
    lookupIntro: "ご注文時のメールアドレスを入力すると、注文の状況を確認できます。",
    trackOrder: "注文を追跡",
    lookupNoMatch: "この注文番号とメールアドレスに一致する注文は見つかりませんでした。",
    lookupSignIn: "アカウントで注文しましたか？",
  },
  zh: {
    skip: "跳到主要内容",
    search: "搜索",
    searchPlaceholder: "搜索商品、品牌、SKU…",
    language: "语言",
    sortBy: "排序",
    "sort.newest": "最新上架",
    "sort.price-asc": "价格从低到高",
    "sort.price-desc": "价格从高到低",
    "sort.bestselling": "销量最高",
    "sort.rating": "评分最高",
    "sort.name": "名称 A–Z",
    filters: "筛选",
    category: "分类",
    allCategories: "全部分类",
    brand: "品牌",
    origin: "原产地",
    price: "价格",
    anyPrice: "不限价格",
    upTo: "{max}及以下",
    andAbove: "{min}及以上",
    availability: "库存",
    inStockOnly: "仅显示有货",
    clearAll: "全部清除",
    allProducts: "全部商品",
    resultsFor: "“{q}”的搜索结果",
    "products.one": "{n} 件商品",
    "products.other": "{n} 件商品",
    showing: "显示 {shown} / {total}",
    loadMore: "加载更多",
    loading: "加载中…",
    noResults: "没有符合筛选条件的商品。",
    noResultsHint: "请尝试移除筛选条件或搜索其他内容。",
    from: "",
    fromSuffix: "起",
    inStock: "有货",
    lowStock: "仅剩 {n} 件",
    outOfStock: "缺货",
    sale: "特价",
    upTo: "最高优惠 {n}%",
    back: "返回结果",
    home: "首页",
    description: "商品描述",
    parameters: "基本参数",
    features: "产品特点",
    instructions: "使用说明",
    details: "详细信息",
    material: "材质",
    model: "型号",
    specification: "规格",
    productType: "类型",
    usage: "用途",
    weight: "重量",
    madeIn: "原产地：{country}",
    sku: "SKU",
    available: "有货 · 可购 {n} 件",
    notFound: "未找到商品",
    notFoundText: "该商品可能已下架，或链接有误。",
    error: "出错了",
    retry: "重试",
    "reviews.one": "{n} 条评价",
    "reviews.other": "{n} 条评价",
    untranslated: "该商品尚无{lang}翻译，当前以{shown}显示。",
    combination: "该组合暂无供应。",
    image: "图片 {n}",
    noImage: "暂无图片",
    searchChip: "“{q}”",
    remove: "移除筛选：{name}",
    footer: "Tradewind · 汇集世界各地独立品牌的好物，跨境直送。",
    account: "账户",
    signIn: "登录",
    signOut: "退出登录",
    myAccount: "我的账户",
    signInMethod: "登录方式",
    withPassword: "密码",
    withPhoneCode: "短信验证码",
    email: "邮箱",
    emailOrPhone: "邮箱或手机号",
    password: "密码",
    newPassword: "新密码",
    passwordHint: "至少 10 个字符。",
    phone: "手机号",
    phoneHint: "请带国家区号，例如 +86 138 0013 8000。",
    code: "验证码",
    codeSentTo: "验证码已发送至 {to}。",
    sendCode: "发送验证码",
    sendAgain: "重新发送",
    codeResent: "新的验证码已发送。",
    changeLogin: "使用其他号码",
    forgotPassword: "忘记密码？",
    noAccount: "新用户？",
    haveAccount: "已有账户？",
    createAccount: "创建账户",
    nickname: "昵称",
    optional: "选填",
    confirm: "确认",
    resetPassword: "重置密码",
    resetIntro: "输入邮箱或手机号，我们将向您发送验证码。",
    setPassword: "设置密码",
    backToSignIn: "返回登录",
    or: "或",
    continueWith: "使用 {provider} 继续",
    oauthFailed: "通过该服务登录失败，请重试。",
    rateLimited: "尝试次数过多，请在 {time}后重试。",
    profile: "个人资料",
    noTier: "暂无会员等级",
    pointsLabel: "积分",
    "points.one": "{n} 积分",
    "points.other": "{n} 积分",
    expiring: "{points}将于 {date} 过期。",
    dailyCheckIn: "每日签到",
    "streak.one": "连续 {n} 天",
    "streak.other": "连续 {n} 天",
    checkInFor: "签到 · +{n}",
    checkedInToday: "今日已签到。明天：+{n}。",
    checkedIn: "签到成功：+{points} · {streak}。",
    preferredLanguage: "首选语言",
    currency: "货币",
    notSet: "未设置",
    save: "保存",
    saved: "已保存。",
    cancel: "取消",
    addresses: "收货地址",
    addAddress: "添加地址",
    editAddress: "编辑地址",
    noAddresses: "暂无保存的地址。",
    default: "默认",
    setDefault: "设为默认",
    makeDefault: "设为默认地址",
    edit: "编辑",
    delete: "删除",
    confirmDelete: "删除此地址？",
    addressSaved: "地址已保存。",
    addressDeleted: "地址已删除。",
    fullName: "姓名",
    company: "公司",
    line1: "街道地址",
    line2: "楼层、门牌号等",
    city: "城市",
    region: "省 / 州",
    postalCode: "邮政编码",
    country: "国家/地区",
    recentPoints: "最近积分",
    noPoints: "暂无积分。每日签到即可获得。",
    "kind.ORDER": "订单",
    "kind.CHECK_IN": "每日签到",
    "kind.REVIEW": "评价",
    "kind.REDEMPTION": "兑换奖励",
    "kind.REFUND": "退款",
    "kind.EXPIRY": "过期",
    "kind.ADJUSTMENT": "调整",
    recentOrders: "最近订单",
    noOrders: "暂无订单。",
    orderNumber: "订单 {number}",
    "status.PENDING_PAYMENT": "待付款",
    "status.PENDING_SHIPMENT": "待发货",
    "status.SHIPPED": "已发货",
    "status.DELIVERED": "已送达",
    "status.COMPLETED": "已完成",
    "status.CANCELLED": "已取消",
    "items.one": "{n} 件",
    "items.other": "{n} 件",
    rewards: "奖励",
    noRewards: "暂无可兑换的奖励。",
    redeem: "兑换",
    left: "剩余 {n}",
    needMore: "还差 {points}",
    unavailable: "暂不可兑换",
    confirmRedeem: "使用 {points}兑换“{name}”？",
    redeemed: "已兑换：{name}。",
    couponCode: "您的优惠码：{code}",
    cart: "购物车",
    addToCart: "加入购物车",
    quantity: "数量",
    added: "已将 {n} 件加入购物车。",
    viewCart: "查看购物车",
    rateStale: "以{currency}显示的价格仅供参考：汇率为 {date} 的汇率。",
    rateStaleUndated: "以{currency}显示的价格仅供参考：汇率已过期。",
    cartLines: "购物车中的商品",
    cartEmpty: "购物车是空的。",
    continueShopping: "继续购物",
    orderSummary: "订单摘要",
    subtotal: "小计",
    memberDiscount: "会员折扣",
    couponDiscount: "优惠券",
    pointsDiscount: "积分",
    pointsDiscountN: "积分（{points}）",
    discounts: "折扣",
    shipping: "运费",
    total: "合计",
    totalBeforeShipping: "合计（不含运费）",
    shippingAtCheckout: "运费在结算时计算。",
    fixLines: "部分商品无法按所选数量供应。请修改数量或移除后继续。",
    checkout: "去结算",
    quantityOf: "{name}的数量",
    decrease: "{name}减少一件",
    increase: "{name}增加一件",
    removeLine: "移除{name}",
    onlyAvailable: "仅剩 {n} 件",
    soldOutLine: "已售罄",
    couponLabel: "优惠码",
    apply: "使用",
    couponApplied: "已使用优惠码 {code}。",
    couponNotApplied: "优惠码 {code} 不适用。",
    removeCoupon: "移除优惠码",
    contact: "联系方式",
    orderingAs: "以 {email} 的身份下单。",
    emailHint: "用于订单确认和物流跟踪。",
    shippingAddress: "收货地址",
    phoneForCarrier: "供承运商在配送有疑问时联系。",
    shippingMethod: "配送方式",
    shippingTo: "寄往：{place}",
    shippingNeedsAddress: "填写地址后即可查看可选的配送方式。",
    noShipping: "此订单暂时无法配送至{country}。",
    "businessDays.one": "{n} 个工作日",
    "businessDays.other": "{n} 个工作日",
    businessDaysRange: "{min}–{max} 个工作日",
    arrivesBy: "预计 {date} 前送达",
    chooseShipping: "请选择配送方式。",
    pointsTitle: "积分",
    pointsToRedeem: "使用积分",
    pointsBalance: "您有 {points}。",
    placeOrder: "提交订单",
    placing: "正在提交订单…",
    payByTransfer: "下单后请通过银行转账付款；收到款项后我们即发货。",
    shopTotal: "按店铺币种计为 {total}。",
    rateOf: "{rate}，{date} 的汇率",
    reviewCart: "查看购物车",
    placeUnanswered: "无法连接到商店，不确定订单是否已提交。请再次提交：订单不会重复。",
    priceChanged: "价格已变动。新的合计为 {total}：请核对后再次提交订单。",
    rateStaleCheckout: "{currency} 的汇率已过期，暂时无法以该币种下单。",
    currencyUnavailable: "暂时无法以 {currency} 下单。",
    payInCurrency: "改用 {currency} 支付",
    thanks: "感谢您的订购！",
    thanksText: "我们会通过 {email} 与您联系订单事宜。您可以随时在此页面查看订单进度。",
    placedOn: "下单时间：{date}",
    progress: "订单进度",
    "step.PENDING_PAYMENT": "已下单",
    "step.PENDING_SHIPMENT": "已付款",
    "step.SHIPPED": "已发货",
    "step.DELIVERED": "已送达",
    orderCancelled: "此订单已取消。",
    awaitingPayment: "正在等待您的银行转账。请在附言中注明 {number}。",
    payment: "付款",
    payChoose: "您想如何付款？",
    payContinue: "继续",
    "payMethod.card": "银行卡",
    "payMethod.alipay": "支付宝",
    "payMethod.wechat_pay": "微信支付",
    "payMethod.paypal": "PayPal",
    "payMethod.bank_transfer": "银行转账",
    cardNumber: "卡号",
    testCardsHint: "测试付款：不会从真实银行卡扣款。可试用以下卡号：",
    "testCard.succeeds": "付款成功",
    "testCard.declines": "付款被拒",
    "testCard.confirm": "需要额外确认",
    payAmount: "支付 {amount}",
    payNow: "立即付款",
    payDeclined: "付款未成功。请换一张卡再试。",
    payConfirmText: "您的银行要求您确认这笔付款。",
    payConfirm: "确认付款",
    payDone: "已收到付款，谢谢！",
    payProcessing: "您的付款正在处理中；完成后本页面会显示。",
    payStripeUnavailable: "无法加载付款表单。请检查网络连接后重试。",
    payProvider: "请按付款服务商的要求完成付款；完成后本页面会显示。",
    payOtherMethod: "选择其他付款方式",
    shipments: "包裹",
    noShipments: "尚未发货。",
    trackingNumber: "运单号",
    opensNewTab: "在新标签页中打开",
    shippedOn: "{date} 发货",
    deliveredOn: "{date} 送达",
    timeline: "记录",
    "event.PLACED": "订单已提交",
    "event.STATUS": "状态已更新",
    "event.PAYMENT": "已收到付款",
    "event.SHIPMENT": "包裹已发出",
    "event.NOTE": "备注",
    asPlaced: "下单时的内容。",
    shipTo: "收货人",
    guestTracking: "使用下单时的账户登录，即可查看完整记录。",
    statusNow: "订单状态：{status}。",
    liveOn: "实时：此页面会自动更新。",
    liveReconnecting: "正在重新连接实时更新…",
    checkedAt: "已于 {time} 查询；每分钟查询一次。",
    checksPaused: "查询过于频繁，将于 {time} 再次查询。",
    lookupIntro: "输入下单时使用的邮箱地址，即可查看订单进度。",
    trackOrder: "跟踪订单",
    lookupNoMatch: "找不到与此订单号和邮箱地址相符的订单。",
    lookupSignIn: "用账户下的单？",
  },
};

let uiLocale = "en";

function t(key, vars = {}) {
  const table = STRINGS[uiLocale] || STRINGS.en;
  let text = key in table ? table[key] : STRINGS.en[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

function plural(key, n) {
  const form = new Intl.PluralRules(uiLocale).select(n) === "one" ? "one" : "other";
  return t(`${key}.${form}`, { n: n.toLocaleString(uiLocale) });
}

function languageName(code, inLocale = uiLocale) {
  try {
    return new Intl.DisplayNames([inLocale], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function countryName(code) {
  try {
    return new Intl.DisplayNames([uiLocale], { type: "region" }).of(code) || code;
  } catch {
    return code;
  }
}

/** The flag emoji of an ISO 3166-1 alpha-2 code: two regional indicator symbols. */
function flag(code) {
  if (!/^[A-Z]{2}$/.test(code || "")) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

// ---------------------------------------------------------------- DOM helper

/** Creates an element. Children are nodes or strings (inserted as text, never as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "text") el.textContent = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children; null, false and "" children are skipped. */
function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const $ = (id) => document.getElementById(id);

/** Paragraphs from text with blank lines between them. */
function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => h("p", {}, p));
}

const capitalise = (s) => (s ? s.charAt(0).toLocaleUpperCase(uiLocale) + s.slice(1) : s);

// ---------------------------------------------------------------- GraphQL

class GraphQLFailure extends Error {
  constructor(message, errors = []) {
    super(message);
    this.errors = errors;
  }
}

/**
 * Runs a query. Signed in, it sends the access token, refreshing it first when it has run out
 * (or on page load, when only the refresh token is kept); when the server still treats the
 * caller as anonymous (`UNAUTHENTICATED`, or `me` null) it refreshes once more and retries.
 * `auth: false` sends no token (the session mutations themselves).
 */
async function gql(query, variables, locale, { auth = true } = {}) {
  let refreshed = false;
  if (auth && storedRefreshToken() && !accessTokenFresh()) {
    refreshed = true;
    await refreshSession();
  }
  let response = await post(query, variables, locale, auth ? session.accessToken : null);
  if (auth && !refreshed && storedRefreshToken() && looksSignedOut(response.body) && (await refreshSession()))
    response = await post(query, variables, locale, session.accessToken);
  const { body } = response;
  if (body && Array.isArray(body.errors) && body.errors.length) {
    throw new GraphQLFailure(body.errors.map((e) => e.message).join("\n"), body.errors);
  }
  if (!response.ok || !body || !body.data) {
    throw new GraphQLFailure(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  return body.data;
}

/** One POST to the endpoint; `body` is null when the answer is not JSON. */
async function post(query, variables, locale, token) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        // Money.formatted follows the request's locale (Accept-Language), not the
        // `locale` argument: send both so prices and text agree.
        "Accept-Language": locale,
        // The cart mutations take no currency argument: they price in this one.
        ...(chosenCurrency() ? { "X-Currency": chosenCurrency() } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new GraphQLFailure(`Network error: ${err.message}`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  return { ok: response.ok, status: response.status, statusText: response.statusText, body };
}

/** Whether an answer treated the caller as anonymous. */
const looksSignedOut = (body) =>
  !!body &&
  ((body.errors || []).some((e) => e.extensions?.code === "UNAUTHENTICATED") ||
    (!!body.data && "me" in body.data && body.data.me === null));

const CATEGORY_FIELDS = "id slug name";
const BOOT_QUERY = `
query Boot($locale: String) {
  categories(topLevel: true, first: 100, locale: $locale) {
    nodes {
      ${CATEGORY_FIELDS}
      children { ${CATEGORY_FIELDS} children { ${CATEGORY_FIELDS} children { ${CATEGORY_FIELDS} } } }
    }
  }
  brands(first: 100) { nodes { id slug name } }
}`;

const CARD_FIELDS = `
  id slug name originCountry ratingAverage ratingCount
  brand { id name }
  featuredImage { url alt width height }
  priceRange { min { amount formatted } max { amount formatted } }
  variants { id price { amount formatted } compareAtPrice { amount formatted } quantityAvailable stockStatus }`;

const PRODUCTS_QUERY = `
query Products($first: Int!, $after: String, $filter: ProductFilter, $sortBy: ProductSortInput,
               $locale: String, $currency: CurrencyCode, $withFacets: Boolean!) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy, locale: $locale, currency: $currency) {
    totalCount
    exchangeRate { currency rate rateDate stale }
    pageInfo { hasNextPage endCursor }
    nodes { ${CARD_FIELDS} }
    facets @include(if: $withFacets) {
      total
      categories { count category { id slug } }
      brands { count brand { id slug name } }
      origins { country count }
      prices { count min { amount formatted } max { amount formatted } }
    }
  }
}`;

const PRODUCT_QUERY = `
query Product($slug: String!, $locale: String, $currency: CurrencyCode) {
  currencyQuote(currency: $currency) { currency rateDate stale }
  product(slug: $slug, locale: $locale, currency: $currency) {
    id slug name description parameters { name value } features instructions locale
    originCountry specification model material productType usage weightGrams
    ratingAverage ratingCount
    translations { locale }
    brand { id slug name }
    category { id slug name ancestors { id slug name } }
    images { id url alt width height }
    priceRange { min { amount formatted } max { amount formatted } }
    variants {
      id sku name position options { name value }
      price { amount formatted } compareAtPrice { amount formatted }
      quantityAvailable stockStatus
    }
  }
}`;

// ---------------------------------------------------------------- session

// The access token is kept in memory only; the refresh token in localStorage, so that a
// reload (or another tab) gets a new access token with it.
const REFRESH_KEY = "tradewind.refreshToken";
const SESSION_FIELDS = "accessToken accessTokenExpiresAt refreshToken user { id email phone nickname }";
const REFRESH_MUTATION = `
mutation Refresh($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { session { ${SESSION_FIELDS} } errors { code } }
}`;
const SIGN_OUT_MUTATION = `
mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) { errors { code } } }`;
// Refresh answers after which the stored token is worth nothing.
const SESSION_GONE = ["TOKEN_INVALID", "TOKEN_REUSED", "ACCOUNT_DISABLED"];

const session = { accessToken: null, expiresAt: 0, user: null };
let refreshing = null; // the refresh in flight, shared by everyone who needs it
let sessionEpoch = 0; // bumped on sign-out: a refresh still in flight is then dropped

function storedRefreshToken() {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

const signedIn = () => !!storedRefreshToken();
const accessTokenFresh = () => !!session.accessToken && Date.now() < session.expiresAt - 30_000;

function startSession(s) {
  session.accessToken = s.accessToken;
  session.expiresAt = Date.parse(s.accessTokenExpiresAt);
  session.user = s.user;
  localStorage.setItem(REFRESH_KEY, s.refreshToken);
  renderAccountNav();
}

function forgetSession() {
  sessionEpoch++;
  Object.assign(session, { accessToken: null, expiresAt: 0, user: null });
  if (list) list.key = null; // members may see other prices and products
}

function endSession() {
  forgetSession();
  localStorage.removeItem(REFRESH_KEY);
  renderAccountNav();
  refreshCartBadge();
}

/**
 * Exchanges the stored refresh token for new tokens; resolves to whether that worked. A
 * refresh token works once (a second use signs that sign-in out everywhere), so callers share
 * one request and tabs take turns, each reading the token only once it holds the lock.
 */
function refreshSession() {
  refreshing ||= withLock("tradewind-refresh", async () => {
    const epoch = sessionEpoch;
    const token = storedRefreshToken();
    if (!token) return false;
    const data = await gql(REFRESH_MUTATION, { refreshToken: token }, uiLocale, { auth: false });
    if (epoch !== sessionEpoch) return false;
    const { session: s, errors } = data.refreshSession;
    if (s) startSession(s);
    else if (errors.some((e) => SESSION_GONE.includes(e.code))) endSession();
    return !!s;
  })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

const withLock = (name, fn) => (navigator.locks ? navigator.locks.request(name, fn) : fn());

async function signOut() {
  if (refreshing) await refreshing;
  const token = storedRefreshToken();
  endSession();
  if (token) await gql(SIGN_OUT_MUTATION, { refreshToken: token }, uiLocale, { auth: false }).catch(() => {});
}

// Signed in or out in another tab.
window.addEventListener("storage", (e) => {
  if (e.key !== REFRESH_KEY || !e.newValue === !e.oldValue) return;
  forgetSession();
  route();
});

// ---------------------------------------------------------------- state in the URL hash

/**
 * #/?q=..&sort=..&lang=..&cat=<slug>&brand=<slug>,<slug>&origin=JP,IT&price=<min>-<max>&stock=1
 * #/product/<slug>?<the same list state, so "back" keeps the filters>
 * #/sign-in, #/register, #/forgot-password, #/account, #/cart, #/checkout (?lang=.. only)
 * #/order/<number>?lang=..&placed=1 (placed: just placed, say thank you)
 */
function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  const params = new URLSearchParams(query);
  const list = (name) => (params.get(name) || "").split(",").map((s) => s.trim()).filter(Boolean);
  const sort = params.get("sort");
  const lang = params.get("lang");
  const state = {
    q: (params.get("q") || "").trim(),
    sort: sort in SORTS ? sort : DEFAULT_SORT,
    lang: LOCALE_CODES.includes(lang) ? lang : preferredLocale(),
    langExplicit: LOCALE_CODES.includes(lang),
    cat: params.get("cat") || "",
    brands: list("brand"),
    origins: list("origin").map((c) => c.toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)),
    price: parsePrice(params.get("price")),
    stock: params.get("stock") === "1",
  };
  const match = path.match(/^\/product\/([^/]+)\/?$/);
  if (match) return { route: "product", slug: decodeURIComponent(match[1]), state };
  const order = path.match(/^\/order\/([^/]+)\/?$/);
  if (order) return { route: "order", slug: decodeURIComponent(order[1]), state };
  const page = path.match(/^\/(sign-in|register|forgot-password|account|cart|checkout)\/?$/);
  if (page) return { route: page[1], state };
  return { route: "list", state };
}

function parsePrice(value) {
  const m = /^(\d+(?:\.\d+)?)?-(\d+(?:\.\d+)?)?$/.exec(value || "");
  if (!m || (!m[1] && !m[2])) return null;
  return { min: m[1] || null, max: m[2] || null };
}

function preferredLocale() {
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (LOCALE_CODES.includes(base)) return base;
  }
  return "en";
}

/** The query string of a list state; defaults are left out. */
function serialize(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.cat) p.set("cat", state.cat);
  if (state.brands.length) p.set("brand", state.brands.join(","));
  if (state.origins.length) p.set("origin", state.origins.join(","));
  if (state.price) p.set("price", `${state.price.min || ""}-${state.price.max || ""}`);
  if (state.stock) p.set("stock", "1");
  if (state.sort !== DEFAULT_SORT) p.set("sort", state.sort);
  if (state.langExplicit) p.set("lang", state.lang);
  return p.toString().replace(/%2C/g, ",");
}

const listHref = (state) => {
  const qs = serialize(state);
  return qs ? `#/?${qs}` : "#/";
};
const productHref = (slug, state) => {
  const qs = serialize(state);
  return `#/product/${encodeURIComponent(slug)}${qs ? `?${qs}` : ""}`;
};
const pageHref = (page, state) => `#/${page}${state.langExplicit ? `?lang=${state.lang}` : ""}`;
const withState = (state, changes) => ({ ...state, ...changes });
const toggled = (values, value) =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

function navigate(href) {
  if (location.hash === href || (href === "#/" && !location.hash)) route();
  else location.hash = href;
}

// ---------------------------------------------------------------- boot data (categories, brands)

const bootCache = new Map();

function loadBoot(locale) {
  if (!bootCache.has(locale)) {
    const promise = gql(BOOT_QUERY, { locale }, locale).then((data) => {
      const categories = new Map(); // slug -> {id, slug, name, parent, children}
      const byId = new Map();
      const walk = (nodes, parent) =>
        nodes.map((n) => {
          const node = { id: n.id, slug: n.slug, name: n.name, parent, children: [] };
          node.children = walk(n.children || [], node);
          categories.set(n.slug, node);
          byId.set(n.id, node);
          return node;
        });
      const tree = walk(data.categories.nodes, null);
      const brands = new Map(data.brands.nodes.map((b) => [b.slug, b]));
      return { tree, categories, categoriesById: byId, brands };
    });
    promise.catch(() => bootCache.delete(locale));
    bootCache.set(locale, promise);
  }
  return bootCache.get(locale);
}

// ---------------------------------------------------------------- money helpers

/** One minor unit less than a decimal string ("50.00" -> "49.99"; "1000" -> "999"). */
const amountNumber = (money) => (money ? Number(money.amount) : NaN);

/**
 * What a card says about reductions. The compare-at price is struck through next to the
 * "from" price only when it belongs to a variant at that price (a $24 struck next to
 * "from $6" would mislead when only the $21 pack is reduced); otherwise the badge says
 * "up to −n%".
 */
function cardSale(product) {
  const min = amountNumber(product.priceRange.min);
  let atMin = null;
  let best = 0;
  for (const v of product.variants) {
    const off = discountPercent(v.price, v.compareAtPrice);
    if (!off) continue;
    best = Math.max(best, off);
    if (amountNumber(v.price) === min && (!atMin || amountNumber(v.compareAtPrice) > amountNumber(atMin.compareAtPrice)))
      atMin = v;
  }
  if (!best) return null;
  return { struck: atMin ? atMin.compareAtPrice : null, off: atMin ? discountPercent(atMin.price, atMin.compareAtPrice) : best, upTo: !atMin };
}

function discountPercent(price, compareAt) {
  const p = amountNumber(price);
  const c = amountNumber(compareAt);
  if (!(c > p) || !(p >= 0)) return 0;
  return Math.round((1 - p / c) * 100);
}

function priceLabel(range) {
  const same = range.min.amount === range.max.amount;
  if (same) return [h("span", { class: "price-now" }, range.min.formatted)];
  return [
    t("from") ? h("span", { class: "price-from" }, t("from")) : null,
    h("span", { class: "price-now" }, range.min.formatted),
    t("fromSuffix") && t("fromSuffix") !== "fromSuffix" ? h("span", { class: "price-from" }, t("fromSuffix")) : null,
  ];
}

function stockInfo(variants) {
  const available = variants.reduce((sum, v) => sum + Math.max(0, v.quantityAvailable || 0), 0);
  const anyIn = variants.some((v) => v.stockStatus === "IN_STOCK");
  if (!anyIn) return { level: "out", text: t("outOfStock") };
  if (available > 0 && available <= 5) return { level: "low", text: t("lowStock", { n: available }) };
  return { level: "in", text: t("inStock") };
}

// ---------------------------------------------------------------- header

function setupHeader() {
  const localeSelect = $("locale-select");
  for (const [code, name] of LOCALES) localeSelect.append(h("option", { value: code }, name));
  localeSelect.addEventListener("change", () => {
    const { route: r, slug, state } = parseHash();
    const next = withState(state, { lang: localeSelect.value, langExplicit: true });
    navigate(r === "product" ? productHref(slug, next) : r === "order" ? orderHref(slug, next)
      : r in PAGES ? pageHref(r, next) : listHref(next));
  });

  $("currency-select").addEventListener("change", (e) => {
    localStorage.setItem(CURRENCY_KEY, e.target.value);
    if (list) list.key = null; // prices are per currency
    const { route: r, state } = parseHash();
    // A price filter is in the list's currency: it means nothing in another.
    if (r === "list" && state.price) navigate(listHref(withState(state, { price: null })));
    else route();
  });

  $("sort-select").addEventListener("change", (e) => {
    const { state } = parseHash();
    navigate(listHref(withState(state, { sort: e.target.value })));
  });

  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const { state } = parseHash();
    const q = $("search-input").value.trim();
    navigate(listHref(withState(state, { q })));
    $("search-input").blur();
  });

  $("filters-toggle").addEventListener("click", () => {
    const open = !document.body.classList.contains("filters-open");
    document.body.classList.toggle("filters-open", open);
    $("filters-toggle").setAttribute("aria-expanded", String(open));
  });

  $("load-more").addEventListener("click", loadMore);

  // The account menu closes on Escape and on a click elsewhere.
  document.addEventListener("keydown", (e) => {
    const menu = $("account-menu");
    if (e.key === "Escape" && menu && !menu.hidden) toggleAccountMenu(false, true);
  });
  document.addEventListener("click", (e) => {
    if (!$("account-nav").contains(e.target)) toggleAccountMenu(false);
  });
}

function applyChrome(state) {
  uiLocale = state.lang;
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]"))
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  for (const el of document.querySelectorAll("[data-i18n-aria]"))
    el.setAttribute("aria-label", t(el.dataset.i18nAria));

  $("locale-select").value = state.lang;
  const sortSelect = $("sort-select");
  sortSelect.replaceChildren(
    ...Object.keys(SORTS).map((key) => h("option", { value: key }, t(`sort.${key}`)))
  );
  sortSelect.value = state.sort;
  if (document.activeElement !== $("search-input")) $("search-input").value = state.q;
  $("home-link").setAttribute("href", state.langExplicit ? `#/?lang=${state.lang}` : "#/");
  $("load-more").textContent = t("loadMore");
  renderAccountNav();
  renderCurrencySelect();
  renderCartLink();
}

// ----- account menu

function renderAccountNav() {
  const nav = $("account-nav");
  const { state } = parseHash();
  if (!signedIn()) {
    fill(nav, h("a", { class: "account-button", href: pageHref("sign-in", state) },
      h("span", { class: "account-icon", "aria-hidden": "true" }), h("span", { class: "account-name" }, t("signIn"))));
    return;
  }
  const user = session.user;
  const button = h("button", {
    type: "button",
    class: "account-button",
    "aria-expanded": "false",
    "aria-controls": "account-menu",
    onclick: () => toggleAccountMenu(),
  },
  h("span", { class: "account-icon", "aria-hidden": "true" }),
  h("span", { class: "account-name" }, (user && (user.nickname || user.email || user.phone)) || t("myAccount")),
  h("span", { class: "account-caret", "aria-hidden": "true" }));
  const menu = h("ul", { class: "account-menu", id: "account-menu", hidden: true },
    h("li", {}, h("a", { href: pageHref("account", state), onclick: () => toggleAccountMenu(false) }, t("myAccount"))),
    h("li", {}, h("button", {
      type: "button",
      onclick: async () => {
        toggleAccountMenu(false);
        await signOut();
        if (parseHash().route === "account") navigate(listHref(parseHash().state));
      },
    }, t("signOut"))));
  fill(nav, button, menu);
}

function toggleAccountMenu(open, focusButton = false) {
  const button = $("account-nav").querySelector("button.account-button");
  const menu = $("account-menu");
  if (!button || !menu) return;
  open ??= menu.hidden;
  menu.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  if (open) menu.querySelector("a")?.focus();
  else if (focusButton) button.focus();
}

// ---------------------------------------------------------------- list view

// The last list shown, kept so that coming back from a product restores the
// loaded pages and the scroll position instead of starting over.
let list = null; // {key, state, boot, nodes, pageInfo, totalCount, facets, scrollY}
let listSeq = 0;

function listVariables(state, boot, after = null) {
  const filter = {};
  const cat = boot.categories.get(state.cat);
  if (cat) filter.categories = [cat.id];
  const brandIds = state.brands.map((slug) => boot.brands.get(slug)?.id).filter(Boolean);
  if (brandIds.length) filter.brands = brandIds;
  if (state.origins.length) filter.origins = state.origins;
  if (state.price) {
    // In the list's currency; a bucket's min and max are both inclusive, as the filter's.
    filter.price = { min: state.price.min || null, max: state.price.max || null };
  }
  if (state.stock) filter.inStock = true;
  if (state.q) filter.search = state.q;
  return {
    first: PAGE_SIZE,
    after,
    filter,
    sortBy: SORTS[state.sort],
    locale: state.lang,
    currency: chosenCurrency(),
    withFacets: after === null,
  };
}

async function showList(state) {
  showView("list-view");
  const key = `${serialize(withState(state, { langExplicit: true }))}|${chosenCurrency() || ""}`;

  if (list && list.key === key && list.nodes && !list.loading) {
    // Same list as before (e.g. back from a product): redraw it from memory.
    const y = list.scrollY || 0;
    renderList();
    requestAnimationFrame(() => window.scrollTo(0, y));
    return;
  }

  const seq = ++listSeq;
  const first = !list || !list.nodes;
  // The old results stay on screen (dimmed) until the new ones arrive.
  list = { ...(list || {}), key: null, state, loading: true };
  if (first) renderSkeleton();
  else $("grid").classList.add("is-stale");
  setStatus(first ? null : h("div", { class: "progress", role: "progressbar", "aria-label": t("loading") }));
  document.title = "Tradewind";

  try {
    const boot = await loadBoot(state.lang);
    const vars = listVariables(state, boot);
    let data;
    try {
      data = await gql(PRODUCTS_QUERY, vars, state.lang);
    } catch (err) {
      // The facets can fail on their own (the server errors on them when nothing
      // matches): show the products without counts rather than nothing at all.
      if (!onlyFacetErrors(err)) throw err;
      data = await gql(PRODUCTS_QUERY, { ...vars, withFacets: false }, state.lang);
      data.products.facets = NO_FACETS;
    }
    if (seq !== listSeq) return;
    const conn = data.products;
    list = {
      key,
      state,
      boot,
      nodes: conn.nodes,
      pageInfo: conn.pageInfo,
      totalCount: conn.totalCount,
      facets: conn.facets,
      exchangeRate: conn.exchangeRate,
      loading: false,
      error: null,
      scrollY: 0,
    };
    renderList();
    if (!first) window.scrollTo({ top: 0 });
  } catch (err) {
    if (seq !== listSeq) return;
    list = { key: null, state, nodes: null };
    $("results-title").textContent = state.q ? t("resultsFor", { q: state.q }) : t("allProducts");
    $("grid").replaceChildren();
    $("grid").classList.remove("is-stale");
    $("filters").replaceChildren();
    $("chips").replaceChildren();
    $("results-count").textContent = "";
    $("load-more").hidden = true;
    $("more-note").textContent = "";
    setStatus(errorBox(err, () => showList(state)));
  }
}

const NO_FACETS = { total: 0, categories: [], brands: [], origins: [], prices: [] };

function onlyFacetErrors(err) {
  const errors = err instanceof GraphQLFailure ? err.errors : [];
  return errors.length > 0 && errors.every((e) => Array.isArray(e.path) && e.path[1] === "facets");
}

async function loadMore() {
  if (!list || !list.pageInfo?.hasNextPage || list.loading) return;
  const seq = listSeq;
  const button = $("load-more");
  list.loading = true;
  button.disabled = true;
  button.textContent = t("loading");
  try {
    const vars = listVariables(list.state, list.boot, list.pageInfo.endCursor);
    const data = await gql(PRODUCTS_QUERY, vars, list.state.lang);
    if (seq !== listSeq) return;
    const conn = data.products;
    const start = list.nodes.length;
    list.nodes = list.nodes.concat(conn.nodes);
    list.pageInfo = conn.pageInfo;
    list.totalCount = conn.totalCount;
    list.loading = false;
    $("grid").append(...conn.nodes.map((p) => productCard(p, list.state)));
    updateMore();
    // Move focus to the first new card for keyboard users.
    $("grid").children[start]?.querySelector("a")?.focus({ preventScroll: true });
  } catch (err) {
    if (seq !== listSeq) return;
    list.loading = false;
    updateMore();
    setStatus(errorBox(err, loadMore));
  }
}

function setStatus(node) {
  $("list-status").replaceChildren(...(node ? [node] : []));
}

function errorBox(err, retry) {
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("strong", {}, t("error")),
    h("pre", { class: "error-message" }, err && err.message ? err.message : String(err)),
    retry ? h("button", { type: "button", class: "button", onclick: retry }, t("retry")) : null
  );
}

function renderSkeleton() {
  $("results-title").textContent = t("loading");
  $("results-count").textContent = "";
  $("chips").replaceChildren();
  $("filters").replaceChildren(
    ...[1, 2, 3].map(() =>
      h("div", { class: "facet" }, h("div", { class: "skeleton skeleton-line wide" }),
        h("div", { class: "skeleton skeleton-line" }), h("div", { class: "skeleton skeleton-line" }))
    )
  );
  $("grid").replaceChildren(
    ...Array.from({ length: 8 }, () =>
      h("li", { class: "card card-skeleton", "aria-hidden": "true" },
        h("div", { class: "card-media skeleton" }),
        h("div", { class: "card-body" },
          h("div", { class: "skeleton skeleton-line" }),
          h("div", { class: "skeleton skeleton-line wide" }),
          h("div", { class: "skeleton skeleton-line short" })))
    )
  );
  $("load-more").hidden = true;
  $("more-note").textContent = "";
}

function renderList() {
  const { state, boot, facets } = list;
  setStatus(null);
  pricesShownIn(list.exchangeRate?.currency);
  fill($("rate-notice"), staleRateNotice(list.exchangeRate));
  $("grid").classList.remove("is-stale");

  const cat = boot.categories.get(state.cat);
  $("results-title").textContent = state.q
    ? t("resultsFor", { q: state.q })
    : cat
      ? cat.name
      : t("allProducts");
  $("results-count").textContent = plural("products", list.totalCount);
  document.title = `${$("results-title").textContent} · Tradewind`;

  renderFilters(state, boot, facets);
  renderChips(state, boot, facets);

  const grid = $("grid");
  if (!list.nodes.length) {
    grid.replaceChildren();
    setStatus(
      h("div", { class: "empty" },
        h("p", { class: "empty-title" }, t("noResults")),
        h("p", {}, t("noResultsHint")),
        activeFilterCount(state) || state.q
          ? h("a", { class: "button button-secondary", href: listHref(clearedState(state)) }, t("clearAll"))
          : null)
    );
  } else {
    grid.replaceChildren(...list.nodes.map((p) => productCard(p, state)));
  }
  updateMore();
}

function updateMore() {
  const button = $("load-more");
  button.hidden = !list.pageInfo?.hasNextPage;
  button.disabled = false;
  button.textContent = t("loadMore");
  $("more-note").textContent = list.nodes.length
    ? t("showing", { shown: list.nodes.length.toLocaleString(uiLocale), total: list.totalCount.toLocaleString(uiLocale) })
    : "";
}

function productCard(p, state) {
  const sale = cardSale(p);
  const stock = stockInfo(p.variants);
  const img = p.featuredImage;

  const media = h("div", { class: "card-media" },
    img
      ? h("img", {
          src: img.url,
          alt: img.alt || p.name,
          width: img.width,
          height: img.height,
          loading: "lazy",
        })
      : h("div", { class: "no-image" }, t("noImage")),
    h("div", { class: "badges" },
      sale ? h("span", { class: "badge badge-sale" }, sale.upTo ? t("upTo", { n: sale.off }) : `${t("sale")} −${sale.off}%`) : null,
      stock.level === "out" ? h("span", { class: "badge badge-out" }, t("outOfStock")) : null)
  );

  const body = h("div", { class: "card-body" },
    p.brand ? h("p", { class: "card-brand" }, p.brand.name) : null,
    h("h2", { class: "card-title" }, p.name),
    p.ratingCount > 0 ? rating(p.ratingAverage, p.ratingCount, true) : null,
    h("p", { class: "card-price" },
      priceLabel(p.priceRange),
      sale?.struck ? h("s", { class: "price-was" }, sale.struck.formatted) : null),
    h("p", { class: "card-meta" },
      h("span", { class: `stock stock-${stock.level}` }, stock.text),
      p.originCountry
        ? h("span", { class: "card-origin", title: countryName(p.originCountry) },
            h("span", { class: "flag", "aria-hidden": "true" }, flag(p.originCountry)), p.originCountry)
        : null)
  );

  const link = h("a", {
    class: "card-link",
    href: productHref(p.slug, state),
    onclick: () => {
      if (list) list.scrollY = window.scrollY;
    },
  }, media, body);
  return h("li", { class: "card" }, link);
}

function rating(avg, count, compact = false) {
  const value = Math.max(0, Math.min(5, Number(avg) || 0));
  const label = `${value.toLocaleString(uiLocale, { maximumFractionDigits: 1 })} / 5 · ${plural("reviews", count)}`;
  return h("p", { class: `rating${compact ? " rating-compact" : ""}`, title: label },
    h("span", { class: "stars", style: `--rating:${value}`, "aria-hidden": "true" }),
    h("span", { class: "visually-hidden" }, label),
    h("span", { class: "rating-text", "aria-hidden": "true" },
      compact ? `${value.toFixed(1)} (${count.toLocaleString(uiLocale)})`
        : `${value.toFixed(1)} · ${plural("reviews", count)}`)
  );
}

// ----- filters

function activeFilterCount(state) {
  return (state.cat ? 1 : 0) + state.brands.length + state.origins.length + (state.price ? 1 : 0) + (state.stock ? 1 : 0);
}

function clearedState(state) {
  return withState(state, { q: "", cat: "", brands: [], origins: [], price: null, stock: false });
}

function facetSection(title, body, { id } = {}) {
  const headingId = `facet-${id}`;
  return h("section", { class: "facet", "aria-labelledby": headingId },
    h("h2", { class: "facet-title", id: headingId }, title), body);
}

function renderFilters(state, boot, facets) {
  const panel = $("filters");
  const count = activeFilterCount(state);
  $("filters-count").hidden = !count;
  $("filters-count").textContent = String(count);
  const sections = [];

  // Categories: the full tree, with the facet counts (which ignore the category selection).
  const counts = new Map(facets.categories.map((f) => [f.category.id, f.count]));
  const selected = boot.categories.get(state.cat);
  const openIds = new Set();
  for (let n = selected; n; n = n.parent) openIds.add(n.id);
  const visible = (node) => (counts.get(node.id) || 0) > 0 || openIds.has(node.id);
  const catList = (nodes, depth) => {
    const items = nodes.filter(visible).map((node) => {
      const isSel = selected && selected.id === node.id;
      const kids = node.children.filter(visible);
      const showKids = kids.length && (depth === 0 || openIds.has(node.id) || openIds.has(node.parent?.id));
      return h("li", {},
        h("a", {
          class: `cat-link${isSel ? " is-selected" : ""}`,
          href: listHref(withState(state, { cat: isSel ? "" : node.slug })),
          "aria-current": isSel ? "true" : null,
        }, h("span", { class: "cat-name" }, node.name), h("span", { class: "count" }, String(counts.get(node.id) || 0))),
        showKids ? catList(node.children, depth + 1) : null);
    });
    return items.length ? h("ul", { class: `cat-tree depth-${depth}` }, items) : null;
  };
  // `total` counts with the category filter; without one selected it is the whole count.
  const allCount = selected
    ? boot.tree.reduce((sum, node) => sum + (counts.get(node.id) || 0), 0)
    : facets.total;
  sections.push(facetSection(t("category"), [
    h("a", {
      class: `cat-link cat-all${selected ? "" : " is-selected"}`,
      href: listHref(withState(state, { cat: "" })),
    }, h("span", { class: "cat-name" }, t("allCategories")), h("span", { class: "count" }, String(allCount))),
    catList(boot.tree, 0),
  ], { id: "category" }));

  // Brands.
  const brandFacets = facets.brands.map((f) => ({ slug: f.brand.slug, name: f.brand.name, count: f.count }));
  for (const slug of state.brands) {
    if (!brandFacets.some((b) => b.slug === slug) && boot.brands.has(slug))
      brandFacets.push({ slug, name: boot.brands.get(slug).name, count: 0 });
  }
  if (brandFacets.length) {
    sections.push(facetSection(t("brand"), h("ul", { class: "checks" },
      brandFacets.map((b) =>
        checkItem({
          checked: state.brands.includes(b.slug),
          label: b.name,
          count: b.count,
          onchange: () => navigate(listHref(withState(state, { brands: toggled(state.brands, b.slug) }))),
        }))), { id: "brand" }));
  }

  // Place of origin.
  const origins = facets.origins.map((f) => ({ code: f.country, count: f.count }));
  for (const code of state.origins)
    if (!origins.some((o) => o.code === code)) origins.push({ code, count: 0 });
  if (origins.length) {
    sections.push(facetSection(t("origin"), h("ul", { class: "checks" },
      origins.map((o) =>
        checkItem({
          checked: state.origins.includes(o.code),
          label: [
            h("span", { class: "flag", "aria-hidden": "true" }, flag(o.code)),
            h("span", { class: "origin-code" }, o.code),
            h("span", { class: "origin-name" }, countryName(o.code)),
          ],
          title: countryName(o.code),
          count: o.count,
          onchange: () => navigate(listHref(withState(state, { origins: toggled(state.origins, o.code) }))),
        }))), { id: "origin" }));
  }

  // Price buckets.
  const buckets = facets.prices.filter((b) => b.count > 0 || isSelectedBucket(state, b));
  if (buckets.length) {
    const name = "price-bucket";
    sections.push(facetSection(t("price"), h("ul", { class: "checks" },
      radioItem({ name, checked: !state.price, label: t("anyPrice"),
        onchange: () => navigate(listHref(withState(state, { price: null }))) }),
      buckets.map((b) =>
        radioItem({
          name,
          checked: isSelectedBucket(state, b),
          label: bucketLabel(b),
          count: b.count,
          onchange: () =>
            navigate(listHref(withState(state, { price: { min: b.min?.amount || null, max: b.max?.amount || null } }))),
        }))
    ), { id: "price" }));
  }

  // Availability.
  sections.push(facetSection(t("availability"), h("label", { class: "switch" },
    h("input", {
      type: "checkbox",
      role: "switch",
      checked: state.stock,
      onchange: (e) => navigate(listHref(withState(state, { stock: e.target.checked }))),
    }),
    h("span", { class: "switch-track", "aria-hidden": "true" }),
    h("span", {}, t("inStockOnly"))), { id: "stock" }));

  if (count) {
    // Clears the filters of the panel; the search stays.
    const href = listHref(withState(clearedState(state), { q: state.q }));
    sections.push(h("a", { class: "button button-secondary clear-filters", href }, t("clearAll")));
  }
  panel.replaceChildren(...sections);
}

function isSelectedBucket(state, b) {
  if (!state.price) return false;
  return (state.price.min || null) === (b.min?.amount || null) && (state.price.max || null) === (b.max?.amount || null);
}

function bucketLabel(b) {
  if (!b.min && !b.max) return t("anyPrice");
  if (!b.min) return t("upTo", { max: b.max.formatted });
  if (!b.max) return t("andAbove", { min: b.min.formatted });
  return `${b.min.formatted} – ${b.max.formatted}`;
}

let controlSeq = 0;

function checkItem({ checked, label, count, onchange, title }) {
  const id = `f${++controlSeq}`;
  return h("li", { class: "check", title },
    h("input", { type: "checkbox", id, checked, onchange }),
    h("label", { for: id }, h("span", { class: "check-label" }, label),
      count !== undefined ? h("span", { class: "count" }, String(count)) : null));
}

function radioItem({ name, checked, label, count, onchange }) {
  const id = `f${++controlSeq}`;
  return h("li", { class: "check" },
    h("input", { type: "radio", name, id, checked, onchange }),
    h("label", { for: id }, h("span", { class: "check-label" }, label),
      count !== undefined ? h("span", { class: "count" }, String(count)) : null));
}

function renderChips(state, boot, facets) {
  const chips = [];
  const chip = (label, next) =>
    chips.push(h("a", { class: "chip", href: listHref(next), "aria-label": t("remove", { name: label }) },
      h("span", {}, label), h("span", { class: "chip-x", "aria-hidden": "true" }, "×")));

  if (state.q) chip(t("searchChip", { q: state.q }), withState(state, { q: "" }));
  const cat = boot.categories.get(state.cat);
  if (cat) chip(cat.name, withState(state, { cat: "" }));
  for (const slug of state.brands)
    chip(boot.brands.get(slug)?.name || slug, withState(state, { brands: toggled(state.brands, slug) }));
  for (const code of state.origins)
    chip(`${flag(code)} ${countryName(code)}`, withState(state, { origins: toggled(state.origins, code) }));
  if (state.price) {
    const b = facets.prices.find((x) => isSelectedBucket(state, x));
    chip(b ? bucketLabel(b) : `${state.price.min || "0"} – ${state.price.max || "∞"}`, withState(state, { price: null }));
  }
  if (state.stock) chip(t("inStockOnly"), withState(state, { stock: false }));
  if (chips.length > 1)
    chips.push(h("a", { class: "chip chip-clear", href: listHref(clearedState(state)) }, t("clearAll")));
  $("chips").replaceChildren(...chips);
}

// ---------------------------------------------------------------- product detail

let detailSeq = 0;

async function showProduct(slug, state) {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
  showView("detail-view");
  const view = $("detail-view");
  document.body.classList.remove("filters-open");
  const seq = ++detailSeq;
  const back = backLink(state);

  view.replaceChildren(back, h("div", { class: "detail-loading", role: "status" },
    h("div", { class: "detail-grid" },
      h("div", { class: "gallery-main skeleton" }),
      h("div", {}, h("div", { class: "skeleton skeleton-line short" }), h("div", { class: "skeleton skeleton-title" }),
        h("div", { class: "skeleton skeleton-line" }), h("div", { class: "skeleton skeleton-line wide" }),
        h("span", { class: "visually-hidden" }, t("loading"))))));
  window.scrollTo(0, 0);

  try {
    const data = await gql(PRODUCT_QUERY, { slug, locale: state.lang, currency: chosenCurrency() }, state.lang);
    if (seq !== detailSeq) return;
    const product = data.product;
    if (!product) {
      document.title = `${t("notFound")} · Tradewind`;
      view.replaceChildren(back, h("div", { class: "empty" },
        h("h1", { class: "empty-title" }, t("notFound")), h("p", {}, t("notFoundText")),
        h("a", { class: "button", href: listHref(state) }, t("back"))));
      return;
    }
    document.title = `${product.name} · Tradewind`;
    pricesShownIn(data.currencyQuote.currency);
    view.replaceChildren(back, renderProduct(product, state, data.currencyQuote));
  } catch (err) {
    if (seq !== detailSeq) return;
    view.replaceChildren(back, errorBox(err, () => showProduct(slug, state)));
  }
}

function backLink(state) {
  return h("nav", { class: "detail-nav" },
    h("a", { class: "back-link", href: listHref(state) },
      h("span", { "aria-hidden": "true" }, "← "), t("back")));
}

function renderProduct(p, state, rate = null) {
  const crumbs = h("ol", { class: "breadcrumbs" },
    h("li", {}, h("a", { href: listHref(withState(clearedState(state), {})) }, t("home"))),
    p.category
      ? [...p.category.ancestors, p.category].map((c) =>
          h("li", {}, h("a", { href: listHref(withState(clearedState(state), { cat: c.slug })) }, c.name)))
      : null);

  const info = h("div", { class: "detail-info" });
  const gallery = renderGallery(p);

  const head = h("div", { class: "detail-head" },
    p.brand
      ? h("a", { class: "detail-brand", href: listHref(withState(clearedState(state), { brands: [p.brand.slug] })) }, p.brand.name)
      : null,
    h("h1", { class: "detail-title" }, p.name),
    p.ratingCount > 0 ? rating(p.ratingAverage, p.ratingCount) : null,
    p.originCountry
      ? h("p", { class: "detail-origin" },
          h("span", { class: "flag", "aria-hidden": "true" }, flag(p.originCountry)),
          t("madeIn", { country: `${countryName(p.originCountry)} (${p.originCountry})` }))
      : null);
  info.append(head);

  // `locale` echoes the locale asked for even when the text fell back to the original, so
  // look at which translations exist. The original text is in the shop's default locale.
  if (state.lang !== SHOP_LOCALE && !p.translations.some((tr) => tr.locale === state.lang)) {
    info.append(h("p", { class: "notice" },
      t("untranslated", { lang: languageName(state.lang), shown: languageName(SHOP_LOCALE) })));
  }

  const notice = staleRateNotice(rate);
  if (notice) info.append(notice);
  info.append(renderBuyBox(p, state));

  if (p.description) info.append(h("section", { class: "detail-section" },
    h("h2", {}, t("description")), h("div", { class: "prose" }, paragraphs(p.description))));

  if (p.features.length) info.append(h("section", { class: "detail-section" },
    h("h2", {}, t("features")), h("ul", { class: "features" }, p.features.map((f) => h("li", {}, f)))));

  const lower = h("div", { class: "detail-lower" });

  if (p.parameters.length) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("parameters")),
    h("table", { class: "spec-table" }, h("tbody", {},
      p.parameters.map((nv) => h("tr", {}, h("th", { scope: "row" }, nv.name), h("td", {}, nv.value)))))));

  const details = [
    ["material", p.material],
    ["model", p.model],
    ["specification", p.specification],
    ["productType", capitalise(p.productType)],
    ["usage", capitalise(p.usage)],
    ["weight", p.weightGrams ? `${p.weightGrams.toLocaleString(uiLocale)} g` : ""],
  ].filter(([, v]) => v);
  if (details.length) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("details")),
    h("dl", { class: "details-list" }, details.map(([k, v]) => [h("dt", {}, t(k)), h("dd", {}, v)]))));

  if (p.instructions) lower.append(h("section", { class: "detail-section" },
    h("h2", {}, t("instructions")), h("div", { class: "prose" }, paragraphs(p.instructions))));

  return h("article", { class: "product" }, crumbs,
    h("div", { class: "detail-grid" }, gallery, info), lower.children.length ? lower : null);
}

function renderGallery(p) {
  const images = p.images;
  if (!images.length) return h("div", { class: "gallery" }, h("div", { class: "gallery-main no-image" }, t("noImage")));
  const main = h("img", {
    class: "gallery-image",
    src: images[0].url,
    alt: images[0].alt || p.name,
    width: images[0].width,
    height: images[0].height,
  });
  const thumbs = images.length > 1
    ? h("ul", { class: "thumbs", role: "list" },
        images.map((img, i) =>
          h("li", {},
            h("button", {
              type: "button",
              class: "thumb",
              "aria-pressed": i === 0 ? "true" : "false",
              "aria-label": img.alt || t("image", { n: i + 1 }),
              onclick: (e) => {
                main.src = img.url;
                main.alt = img.alt || p.name;
                main.width = img.width;
                main.height = img.height;
                for (const b of e.currentTarget.closest(".thumbs").querySelectorAll(".thumb"))
                  b.setAttribute("aria-pressed", String(b === e.currentTarget));
              },
            }, h("img", { src: img.url, alt: "", loading: "lazy", width: img.width, height: img.height })))))
    : null;
  return h("div", { class: "gallery" }, h("div", { class: "gallery-main" }, main), thumbs);
}

/** Variant picker by option values, with price and availability of the chosen variant. */
function renderBuyBox(p, state) {
  const box = h("div", { class: "buy-box" });
  const variants = [...p.variants].sort((a, b) => a.position - b.position);
  if (!variants.length) return box;

  // Option names in order of first appearance; variants without options are picked by name.
  const optionNames = [];
  for (const v of variants) for (const o of v.options) if (!optionNames.includes(o.name)) optionNames.push(o.name);
  const byName = optionNames.length === 0 && variants.length > 1;
  const opt = (v, name) => v.options.find((o) => o.name === name)?.value;

  let current = variants.find((v) => v.stockStatus === "IN_STOCK") || variants[0];
  let chosen = Object.fromEntries(optionNames.map((n) => [n, opt(current, n)]));

  const priceEl = h("div", { class: "detail-price" });
  const stockEl = h("p", { class: "detail-stock" });
  const skuEl = h("p", { class: "detail-sku" });
  const pickers = h("div", { class: "pickers" });
  const quantity = input({ name: "quantity", type: "number", class: "input qty-input", min: 1, value: 1, inputmode: "numeric", required: true });
  const addButton = submitButton(t("addToCart"));
  const addForm = h("form", {
    class: "add-form",
    onsubmit: async (e) => {
      e.preventDefault();
      const n = Math.floor(Number(quantity.value));
      const payload = await mutate(addForm, CART.add, { input: { cartToken: cartToken(), variantId: current.id, quantity: n } });
      if (!payload) return;
      if (payload.cartToken && !signedIn()) keepCartToken(payload.cartToken);
      setCartCount(payload.cart?.quote.itemCount);
      addForm.append(h("p", { class: "form-note", role: "status" },
        t("added", { n: n.toLocaleString(uiLocale) }), " ", h("a", { href: pageHref("cart", state) }, t("viewCart"))));
    },
  }, field(t("quantity"), quantity), formActions(addButton));

  function choose(name, value) {
    chosen = { ...chosen, [name]: value };
    const exact = variants.find((v) => optionNames.every((n) => opt(v, n) === chosen[n]));
    if (exact) {
      current = exact;
    } else {
      // No such combination: take the closest variant with this value, in stock first.
      const candidates = variants.filter((v) => opt(v, name) === value);
      const score = (v) => optionNames.filter((n) => opt(v, n) === chosen[n]).length * 2 + (v.stockStatus === "IN_STOCK" ? 1 : 0);
      current = candidates.sort((a, b) => score(b) - score(a))[0] || current;
      chosen = Object.fromEntries(optionNames.map((n) => [n, opt(current, n)]));
    }
    update();
  }

  function update() {
    const off = discountPercent(current.price, current.compareAtPrice);
    fill(priceEl,
      h("span", { class: "price-now" }, current.price.formatted),
      off > 0 ? h("s", { class: "price-was" }, current.compareAtPrice.formatted) : null,
      off > 0 ? h("span", { class: "badge badge-sale" }, `−${off}%`) : null
    );
    const inStock = current.stockStatus === "IN_STOCK";
    stockEl.className = `detail-stock stock stock-${inStock ? (current.quantityAvailable <= 5 ? "low" : "in") : "out"}`;
    stockEl.textContent = inStock
        ? current.quantityAvailable <= 5
          ? t("lowStock", { n: current.quantityAvailable })
          : t("available", { n: current.quantityAvailable.toLocaleString(uiLocale) })
        : t("outOfStock");
    skuEl.textContent = `${t("sku")}: ${current.sku}`;
    quantity.max = Math.max(1, current.quantityAvailable);
    addButton.disabled = !inStock;
    renderPickers();
  }

  function renderPickers() {
    if (byName) {
      pickers.replaceChildren(
        h("div", { class: "picker", role: "radiogroup", "aria-label": t("model") },
          variants.map((v) => optionButton(v.name || v.sku, v === current, v.stockStatus === "IN_STOCK", () => {
            current = v;
            update();
          })))
      );
      return;
    }
    pickers.replaceChildren(
      ...optionNames.map((name) => {
        const values = [];
        for (const v of variants) {
          const value = opt(v, name);
          if (value !== undefined && !values.includes(value)) values.push(value);
        }
        const labelId = `opt-${++controlSeq}`;
        return h("div", { class: "picker" },
          h("p", { class: "picker-label", id: labelId },
            h("span", {}, capitalise(name)), ": ", h("strong", {}, chosen[name] ?? "")),
          h("div", { class: "picker-values", role: "radiogroup", "aria-labelledby": labelId },
            values.map((value) => {
              // Available when a variant with this value and the other current choices is in stock.
              const match = variants.find((v) =>
                opt(v, name) === value && optionNames.every((n) => n === name || opt(v, n) === chosen[n]));
              const available = match ? match.stockStatus === "IN_STOCK" : false;
              return optionButton(value, chosen[name] === value, available, () => choose(name, value), !match);
            })));
      })
    );
  }

  function optionButton(label, selected, available, onclick, missing = false) {
    return h("button", {
      type: "button",
      role: "radio",
      class: `option${available ? "" : " is-unavailable"}${missing ? " is-missing" : ""}`,
      "aria-checked": selected ? "true" : "false",
      title: available ? null : missing ? t("combination") : t("outOfStock"),
      onclick,
    }, label);
  }

  update();
  append(box, [priceEl, optionNames.length || byName ? pickers : null, stockEl, skuEl, addForm]);
  return box;
}

// ---------------------------------------------------------------- forms

/** A labelled control; its `name` is the API's input field, so payload errors land next to it. */
function field(label, control, { hint, optional = false, wide = false } = {}) {
  control.id ||= `f${++controlSeq}`;
  const hintEl = hint ? h("p", { class: "field-hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: `field${wide ? " field-wide" : ""}` },
    h("label", { for: control.id }, label, optional ? h("span", { class: "field-optional" }, ` (${t("optional")})`) : null),
    control, hintEl);
}

const input = (attrs) => h("input", { class: "input", type: "text", ...attrs });

function select(name, options, value, attrs = {}) {
  if (value && !options.some(([v]) => v === value)) options = [...options, [value, value]];
  return h("select", { class: "input", name, ...attrs },
    options.map(([v, label]) => h("option", { value: v, selected: v === (value || "") }, label)));
}

const submitButton = (label) => h("button", { type: "submit", class: "button" }, label);
const formActions = (...buttons) => h("div", { class: "form-actions" }, buttons);

/** A form's values by name: text trimmed, passwords as typed, checkboxes true when ticked. */
function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || (el.type === "checkbox" && !el.checked)) continue;
    values[el.name] = el.type === "checkbox" ? true : el.type === "password" ? el.value : el.value.trim();
  }
  return values;
}

function clearErrors(root) {
  for (const el of root.querySelectorAll(".field-error, .form-alert, .form-note")) el.remove();
  for (const el of root.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const hint = `${el.id}-hint`;
    if ($(hint)) el.setAttribute("aria-describedby", hint);
    else el.removeAttribute("aria-describedby");
  }
}

/** The message of a payload error; the wait of `RATE_LIMITED` in the page's language. */
function errorText(e) {
  if (e.code !== "RATE_LIMITED" || !e.retryAfter) return e.message;
  const minutes = e.retryAfter >= 90;
  const time = new Intl.NumberFormat(uiLocale, { style: "unit", unit: minutes ? "minute" : "second", unitDisplay: "long" })
    .format(minutes ? Math.ceil(e.retryAfter / 60) : e.retryAfter);
  return t("rateLimited", { time });
}

/** Payload errors (`{field, code, message, retryAfter}`) next to their fields, the rest in an alert. */
function showErrors(root, errors, { focus = true } = {}) {
  const loose = [];
  let first = null;
  for (const e of errors) {
    const name = e.field?.at(-1);
    const control = name ? root.querySelector(`[name="${CSS.escape(name)}"]`) : null;
    if (!control?.closest(".field")) {
      loose.push(errorText(e));
      continue;
    }
    const message = h("p", { class: "field-error", id: `${control.id}-error${++controlSeq}` }, errorText(e));
    control.closest(".field").append(message);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), message.id].filter(Boolean).join(" "));
    first ||= control;
  }
  if (loose.length) {
    const alert = h("div", { class: "form-alert", role: "alert", tabindex: "-1" }, loose.map((m) => h("p", {}, m)));
    const actions = root.querySelector(".form-actions");
    if (actions) actions.before(alert);
    else root.append(alert);
    first ||= alert;
  }
  if (focus) first?.focus();
}

/** A short confirmation in a form or panel, announced. */
function note(root, text) {
  const el = h("p", { class: "form-note", role: "status", tabindex: "-1" }, text);
  const actions = root.querySelector(".form-actions");
  if (actions) actions.after(el);
  else root.append(el);
  return el;
}

/**
 * Runs a mutation for a form or panel: its buttons are disabled meanwhile, and the payload's
 * errors (or the request's failure) are shown in it. Returns the payload, or null on failure.
 */
async function mutate(root, query, variables = {}) {
  clearErrors(root);
  const buttons = [...root.querySelectorAll("button:not(:disabled)")];
  for (const b of buttons) b.disabled = true;
  root.setAttribute("aria-busy", "true");
  try {
    const payload = Object.values(await gql(query, variables, uiLocale))[0];
    if (!payload.errors.length) return payload;
    showErrors(root, payload.errors);
  } catch (err) {
    showErrors(root, [{ message: err.message }]);
  } finally {
    for (const b of buttons) b.disabled = false;
    root.removeAttribute("aria-busy");
  }
  return null;
}

// ---------------------------------------------------------------- sign-in, registration, password reset

const ACCOUNT_ERRORS = "errors { field code message retryAfter }";
const SESSION_PAYLOAD = `session { ${SESSION_FIELDS} } ${ACCOUNT_ERRORS}`;
const AUTH = {
  signIn: `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${SESSION_PAYLOAD} } }`,
  requestPhoneCode: `mutation PhoneCode($input: RequestPhoneCodeInput!) {
    requestPhoneCode(input: $input) { ${ACCOUNT_ERRORS} } }`,
  signInWithPhoneCode: `mutation PhoneSignIn($input: SignInWithPhoneCodeInput!) {
    signInWithPhoneCode(input: $input) { ${SESSION_PAYLOAD} } }`,
  registerWithEmail: `mutation Register($input: RegisterWithEmailInput!) {
    registerWithEmail(input: $input) { email ${ACCOUNT_ERRORS} } }`,
  resendEmailVerification: `mutation Resend($email: String!) {
    resendEmailVerification(email: $email) { ${ACCOUNT_ERRORS} } }`,
  verifyEmail: `mutation Verify($input: VerifyEmailInput!) { verifyEmail(input: $input) { ${SESSION_PAYLOAD} } }`,
  requestPasswordReset: `mutation ResetCode($login: String!) {
    requestPasswordReset(login: $login) { ${ACCOUNT_ERRORS} } }`,
  resetPassword: `mutation Reset($input: ResetPasswordInput!) { resetPassword(input: $input) { ${SESSION_PAYLOAD} } }`,
  startOAuthSignIn: `mutation OAuthStart($input: StartOAuthSignInInput!) {
    startOAuthSignIn(input: $input) { authorizationUrl state browserKey ${ACCOUNT_ERRORS} } }`,
  completeOAuthSignIn: `mutation OAuthComplete($input: CompleteOAuthSignInInput!) {
    completeOAuthSignIn(input: $input) { ${SESSION_PAYLOAD} } }`,
};
const PROVIDERS_QUERY = "query Providers { oauthProviders }";
const PROVIDER_NAMES = { GOOGLE: "Google", FACEBOOK: "Facebook", WECHAT: "WeChat", QQ: "QQ" };
const OAUTH_KEY = "tradewind.oauth"; // {provider, state, lang} of the provider sign-in under way

let providersPromise = null;
let oauthProblems = null; // why the provider sign-in just returned from failed

function authCard(title, ...children) {
  return h("section", { class: "auth", "aria-labelledby": "auth-title" },
    h("h1", { class: "auth-title", id: "auth-title" }, title), children);
}

async function signedInWith(s, state) {
  startSession(s);
  if (list) list.key = null;
  await mergeGuestCart();
  navigate(pageHref("account", state));
}

function showSignIn(view, state) {
  if (signedIn()) return navigate(pageHref("account", state));
  document.title = `${t("signIn")} · Tradewind`;
  const forms = { password: passwordSignInForm(state), phone: phoneSignInForm(state) };
  const body = h("div", {}, forms.password);
  const methods = h("div", { class: "segmented", role: "group", "aria-label": t("signInMethod") },
    [["password", t("withPassword")], ["phone", t("withPhoneCode")]].map(([key, label]) =>
      h("button", {
        type: "button",
        "aria-pressed": String(key === "password"),
        onclick: (e) => {
          for (const b of methods.children) b.setAttribute("aria-pressed", String(b === e.currentTarget));
          body.replaceChildren(forms[key]);
        },
      }, label)));
  fill(view, authCard(t("signIn"), providerButtons(state), methods, body,
    h("p", { class: "auth-alt" }, t("noAccount"), " ", h("a", { href: pageHref("register", state) }, t("createAccount")))));
  if (oauthProblems) {
    showErrors(forms.password, oauthProblems);
    oauthProblems = null;
  }
}

function passwordSignInForm(state) {
  const form = h("form", {
    class: "form",
    onsubmit: async (e) => {
      e.preventDefault();
      const { login, password } = formValues(form);
      const payload = await mutate(form, AUTH.signIn, { input: { login, password } });
      if (payload) signedInWith(payload.session, state);
    },
  },
  field(t("emailOrPhone"), input({ name: "login", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true })),
  field(t("password"), input({ name: "password", type: "password", autocomplete: "current-password", required: true })),
  formActions(submitButton(t("signIn")), h("a", { class: "form-link", href: pageHref("forgot-password", state) }, t("forgotPassword"))));
  return form;
}

function phoneSignInForm(state) {
  const form = h("form", { class: "form" });
  let phone = "";
  const sendCode = () => mutate(form, AUTH.requestPhoneCode, { input: { phone } });
  const askPhone = () => {
    fill(form,
      field(t("phone"), input({ name: "phone", type: "tel", autocomplete: "tel", required: true, value: phone }), { hint: t("phoneHint") }),
      formActions(submitButton(t("sendCode"))));
    form.onsubmit = async (e) => {
      e.preventDefault();
      phone = formValues(form).phone;
      if (await sendCode()) codeStep(form, {
        to: phone,
        submitLabel: t("signIn"),
        resend: sendCode,
        back: askPhone,
        onSubmit: async ({ code }) => {
          const payload = await mutate(form, AUTH.signInWithPhoneCode, { input: { phone, code } });
          if (payload) signedInWith(payload.session, state);
        },
      });
    };
  };
  askPhone();
  return form;
}

/** The step of a flow that asks for the code just sent to `to`, with "send again". */
function codeStep(form, { to, extra = null, submitLabel, onSubmit, resend, back = null }) {
  fill(form,
    h("p", { class: "form-intro" }, t("codeSentTo", { to })),
    field(t("code"), input({ name: "code", autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6, required: true })),
    extra,
    formActions(submitButton(submitLabel),
      h("button", {
        type: "button",
        class: "button button-secondary",
        onclick: async () => {
          if (await resend()) note(form, t("codeResent"));
        },
      }, t("sendAgain")),
      back ? h("button", { type: "button", class: "form-link link-button", onclick: back }, t("changeLogin")) : null));
  form.onsubmit = (e) => {
    e.preventDefault();
    onSubmit(formValues(form));
  };
  form.elements.code.focus();
}

function showRegister(view, state) {
  if (signedIn()) return navigate(pageHref("account", state));
  document.title = `${t("createAccount")} · Tradewind`;
  let email = "";
  const form = h("form", { class: "form" },
    field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true })),
    field(t("password"), input({ name: "password", type: "password", autocomplete: "new-password", minlength: 10, required: true }),
      { hint: t("passwordHint") }),
    field(t("nickname"), input({ name: "nickname", autocomplete: "nickname", maxlength: 60 }), { optional: true }),
    formActions(submitButton(t("createAccount"))));
  // Each step sets `form.onsubmit`, so that the code step replaces it.
  form.onsubmit = async (e) => {
    e.preventDefault();
    const { password, nickname = "", ...v } = formValues(form);
    const registration = { email: v.email, password, nickname, locale: state.lang };
    const payload = await mutate(form, AUTH.registerWithEmail, { input: registration });
    if (!payload) return;
    email = payload.email || v.email;
    codeStep(form, {
      to: email,
      submitLabel: t("confirm"),
      resend: () => mutate(form, AUTH.resendEmailVerification, { email }),
      onSubmit: async ({ code }) => {
        // The code confirms the registration made with this password, and no other.
        const verified = await mutate(form, AUTH.verifyEmail, { input: { email, code, password } });
        if (verified) signedInWith(verified.session, state);
      },
    });
  };
  fill(view, authCard(t("createAccount"), providerButtons(state), form,
    h("p", { class: "auth-alt" }, t("haveAccount"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn")))));
}

function showForgotPassword(view, state) {
  document.title = `${t("resetPassword")} · Tradewind`;
  const form = h("form", { class: "form" },
    h("p", { class: "form-intro" }, t("resetIntro")),
    field(t("emailOrPhone"), input({ name: "login", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true })),
    formActions(submitButton(t("sendCode"))));
  form.onsubmit = async (e) => {
    e.preventDefault();
    const { login } = formValues(form);
    const sendCode = () => mutate(form, AUTH.requestPasswordReset, { login });
    if (!(await sendCode())) return;
    codeStep(form, {
      to: login,
      extra: field(t("newPassword"), input({ name: "newPassword", type: "password", autocomplete: "new-password", minlength: 10, required: true }),
        { hint: t("passwordHint") }),
      submitLabel: t("setPassword"),
      resend: sendCode,
      onSubmit: async ({ code, newPassword }) => {
        const payload = await mutate(form, AUTH.resetPassword, { input: { login, code, newPassword } });
        if (payload) signedInWith(payload.session, state);
      },
    });
  };
  fill(view, authCard(t("resetPassword"), form,
    h("p", { class: "auth-alt" }, h("a", { href: pageHref("sign-in", state) }, t("backToSignIn")))));
}

// ----- sign-in with a provider

/** Buttons for the providers the shop has enabled; empty (and hidden) when there are none. */
function providerButtons(state) {
  const box = h("div", { class: "providers" });
  providersPromise ||= gql(PROVIDERS_QUERY, {}, uiLocale, { auth: false })
    .then((data) => data.oauthProviders)
    .catch(() => {
      providersPromise = null;
      return [];
    });
  providersPromise.then((providers) => {
    if (!providers.length) return;
    fill(box,
      providers.map((provider) =>
        h("button", { type: "button", class: "button button-secondary", onclick: () => startOAuth(provider, box, state) },
          t("continueWith", { provider: PROVIDER_NAMES[provider] || provider }))),
      h("p", { class: "divider" }, h("span", {}, t("or"))));
  });
  return box;
}

/** The provider sends the browser back to ?oauth=<PROVIDER>&code=..&state=.. (no hash). */
const oauthRedirectUri = (provider) => `${location.origin}${location.pathname}?oauth=${provider}`;

async function startOAuth(provider, box, state) {
  const payload = await mutate(box, AUTH.startOAuthSignIn, { input: { provider, redirectUri: oauthRedirectUri(provider) } });
  if (!payload) return;
  // The key stays in this browser: only it can complete the sign-in it started.
  sessionStorage.setItem(OAUTH_KEY, JSON.stringify({
    provider, state: payload.state, browserKey: payload.browserKey,
    lang: state.langExplicit ? state.lang : null,
  }));
  location.assign(payload.authorizationUrl);
}

/** On load, back from a provider: finish signing in, unless the state is not the one we started. */
async function completeOAuth() {
  const params = new URLSearchParams(location.search);
  const provider = params.get("oauth");
  if (!provider) return;
  let started = null;
  try {
    started = JSON.parse(sessionStorage.getItem(OAUTH_KEY));
  } catch {
    /* nothing started */
  }
  sessionStorage.removeItem(OAUTH_KEY);
  const lang = started?.lang ? `?lang=${started.lang}` : "";
  history.replaceState(null, "", `${location.pathname}#/sign-in${lang}`);
  applyChrome(parseHash().state);
  const { code, state } = Object.fromEntries(params);
  // Another state is someone else's sign-in (or a forged callback): never send it on.
  if (!code || !started || started.provider !== provider || !state || started.state !== state) {
    oauthProblems = [{ message: t("oauthFailed") }];
    return;
  }
  try {
    const input = { provider, state, code, browserKey: started.browserKey };
    const data = await gql(AUTH.completeOAuthSignIn, { input }, uiLocale, { auth: false });
    const { session: s, errors } = data.completeOAuthSignIn;
    if (s) {
      startSession(s);
      await mergeGuestCart();
      history.replaceState(null, "", `${location.pathname}#/account${lang}`);
    } else oauthProblems = errors;
  } catch (err) {
    oauthProblems = [{ message: err.message }];
  }
}

// ---------------------------------------------------------------- account

const MEMBER_ERRORS = "errors { field code message }";
const ADDRESS_FIELDS = "id fullName company line1 line2 city region postalCode country phone isDefault";
const ACCOUNT_QUERY = `
query Account {
  me {
    id email phone nickname avatarUrl locale currency
    tier { name }
    pointsBalance
    pointsExpiringSoon { amount expiresAt }
    checkInStatus { checkedInToday streak nextPoints }
    addresses { ${ADDRESS_FIELDS} }
    pointsEntries(first: 5) { nodes { id amount kind note createdAt } }
    orders(first: 5) { nodes { id number status placedAt itemCount total { formatted } } }
  }
  rewards(first: 20) { nodes { id name description pointsCost stock available } }
}`;
const MEMBER = {
  updateProfile: `mutation Profile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { user { id email phone nickname } ${MEMBER_ERRORS} } }`,
  checkIn: `mutation CheckIn { checkIn { checkIn { streak points } ${MEMBER_ERRORS} } }`,
  createAddress: `mutation AddAddress($input: CreateAddressInput!) { createAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  updateAddress: `mutation EditAddress($input: UpdateAddressInput!) { updateAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  deleteAddress: `mutation DeleteAddress($input: DeleteAddressInput!) { deleteAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  setDefaultAddress: `mutation DefaultAddress($input: SetDefaultAddressInput!) {
    setDefaultAddress(input: $input) { ${MEMBER_ERRORS} } }`,
  redeemReward: `mutation Redeem($input: RedeemRewardInput!) {
    redeemReward(input: $input) { redemption { reward { name } coupon { code } } ${MEMBER_ERRORS} } }`,
};

// ISO 3166-1 alpha-2, as the API's CountryCode.
const COUNTRY_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
  "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
  "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
  "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
  "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

/**
 * The account page. After a change it is drawn again from fresh data, with `flash`
 * ({panel, text}) confirming the change in the panel it was made in.
 */
async function showAccount(view, state, current, flash = null) {
  if (!signedIn()) return navigate(pageHref("sign-in", state));
  document.title = `${t("myAccount")} · Tradewind`;
  if (!flash) fill(view, h("div", { class: "account", role: "status" },
    h("div", { class: "skeleton skeleton-title" }), h("div", { class: "skeleton skeleton-line wide" }),
    h("div", { class: "skeleton skeleton-line" }), h("span", { class: "visually-hidden" }, t("loading"))));
  let data;
  try {
    data = await gql(ACCOUNT_QUERY, {}, state.lang);
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showAccount(view, state, current)));
    return;
  }
  if (!current()) return;
  if (!data.me) {
    // Even a refresh did not help: the sign-in has ended.
    endSession();
    return navigate(pageHref("sign-in", state));
  }
  const me = data.me;
  const reload = (next) => showAccount(view, state, current, next);
  const flashFor = (panel) => (flash?.panel === panel ? h("p", { class: "form-note", role: "status", tabindex: "-1" }, flash.text) : null);
  const ctx = { me, reload, flashFor };
  fill(view, h("div", { class: "account" },
    h("div", { class: "account-head" },
      h("h1", { class: "account-title" }, t("myAccount")),
      h("button", {
        type: "button",
        class: "button button-secondary",
        onclick: async () => {
          await signOut();
          navigate(listHref(state));
        },
      }, t("signOut"))),
    h("div", { class: "account-grid" },
      h("div", { class: "account-side" }, memberPanel(me), checkInPanel(ctx)),
      h("div", { class: "account-main" },
        profilePanel(ctx), addressesPanel(ctx), pointsPanel(me), ordersPanel(me), rewardsPanel(ctx, data.rewards.nodes)))));
  view.querySelector(".form-note")?.focus({ preventScroll: true });
}

function panel(id, title, ...children) {
  return h("section", { class: "panel", "aria-labelledby": `panel-${id}` },
    h("h2", { class: "panel-title", id: `panel-${id}` }, title), children);
}

const formatDate = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium" }).format(new Date(iso));

function memberPanel(me) {
  const name = me.nickname || me.email || me.phone || "";
  const expiring = me.pointsExpiringSoon;
  return h("section", { class: "panel member", "aria-label": t("profile") },
    me.avatarUrl
      ? h("img", { class: "avatar", src: me.avatarUrl, alt: "", width: 64, height: 64 })
      : h("span", { class: "avatar", "aria-hidden": "true" }, [...name][0]?.toLocaleUpperCase(uiLocale) || "?"),
    h("p", { class: "member-name" }, name),
    h("p", { class: "member-login" }, [me.email, me.phone].filter(Boolean).join(" · ")),
    h("p", { class: "member-tier" }, me.tier ? h("span", { class: "badge badge-tier" }, me.tier.name) : t("noTier")),
    h("p", { class: "member-points" },
      h("strong", {}, me.pointsBalance.toLocaleString(uiLocale)), " ", t("pointsLabel")),
    expiring
      ? h("p", { class: "member-expiry" },
          t("expiring", { points: plural("points", expiring.amount), date: formatDate(expiring.expiresAt) }))
      : null);
}

function checkInPanel({ me, reload, flashFor }) {
  const status = me.checkInStatus;
  const section = panel("check-in", t("dailyCheckIn"),
    status.streak ? h("p", { class: "check-in-streak" }, plural("streak", status.streak)) : null,
    status.checkedInToday
      ? h("p", { class: "muted" }, t("checkedInToday", { n: status.nextPoints }))
      : h("button", {
          type: "button",
          class: "button",
          onclick: async () => {
            const payload = await mutate(section, MEMBER.checkIn);
            if (payload) reload({
              panel: "check-in",
              text: t("checkedIn", { points: plural("points", payload.checkIn.points), streak: plural("streak", payload.checkIn.streak) }),
            });
          },
        }, t("checkInFor", { n: status.nextPoints })),
    flashFor("check-in"));
  return section;
}

function profilePanel({ me, reload, flashFor }) {
  const form = h("form", {
    class: "form form-grid",
    onsubmit: async (e) => {
      e.preventDefault();
      const { nickname, locale, currency } = formValues(form);
      const payload = await mutate(form, MEMBER.updateProfile, { input: { nickname, locale: locale || null, currency: currency || null } });
      if (!payload) return;
      session.user = payload.user;
      renderAccountNav();
      reload({ panel: "profile", text: t("saved") });
    },
  },
  field(t("nickname"), input({ name: "nickname", value: me.nickname, autocomplete: "nickname", maxlength: 60, required: true })),
  field(t("preferredLanguage"), select("locale", [["", t("notSet")], ...LOCALES], me.locale)),
  field(t("currency"), select("currency", [["", t("notSet")], ...currencyOptions(me.currency)], me.currency)),
  formActions(submitButton(t("save"))));
  return panel("profile", t("profile"), form, flashFor("profile"));
}

/** The currencies the shop offers: the only ones prices can be shown in. */
function currencyOptions(current) {
  const options = currencies.map((c) => [c.code, `${c.code} · ${c.name}`]);
  return current && !currencies.some((c) => c.code === current) ? [[current, current], ...options] : options;
}

function addressesPanel({ me, reload, flashFor }) {
  const items = h("ul", { class: "addresses" }, me.addresses.map((a) => addressItem(a, reload)));
  const add = h("button", {
    type: "button",
    class: "button button-secondary",
    onclick: () => {
      const form = addressForm(null, reload, () => {
        form.remove();
        add.hidden = false;
        add.focus();
      });
      add.hidden = true;
      add.after(form);
      form.elements.fullName.focus();
    },
  }, t("addAddress"));
  return panel("addresses", t("addresses"),
    me.addresses.length ? items : h("p", { class: "muted" }, t("noAddresses")), flashFor("addresses"), add);
}

function addressItem(a, reload) {
  const textId = `address-${++controlSeq}`;
  const action = (label, onclick, extra = "") =>
    h("button", { type: "button", class: `link-button${extra}`, "aria-describedby": textId, onclick }, label);
  const item = h("li", { class: `address${a.isDefault ? " is-default" : ""}` },
    h("address", { id: textId },
      [a.fullName, a.company, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.region, countryName(a.country), a.phone]
        .filter(Boolean).map((line) => h("span", {}, line))),
    a.isDefault ? h("span", { class: "badge badge-default" }, t("default")) : null,
    h("div", { class: "address-actions" },
      action(t("edit"), () => {
        const form = addressForm(a, reload, () => {
          form.replaceWith(item);
          item.querySelector("button").focus();
        });
        item.replaceWith(form);
        form.elements.fullName.focus();
      }),
      a.isDefault ? null : action(t("setDefault"), async () => {
        if (await mutate(item, MEMBER.setDefaultAddress, { input: { id: a.id } })) reload({ panel: "addresses", text: t("addressSaved") });
      }),
      action(t("delete"), async () => {
        if (!confirm(t("confirmDelete"))) return;
        if (await mutate(item, MEMBER.deleteAddress, { input: { id: a.id } })) reload({ panel: "addresses", text: t("addressDeleted") });
      }, " is-danger")));
  return item;
}

/** Adds an address (`a` null) or edits one. */
function addressForm(a, reload, onCancel) {
  const v = a || { country: defaultCountry() };
  const text = (name, label, attrs = {}, options = {}) => field(label, input({ name, value: v[name] || "", ...attrs }), options);
  const countries = COUNTRY_CODES.map((code) => [code, countryName(code)]).sort((x, y) => x[1].localeCompare(y[1], uiLocale));
  const form = h("form", {
    class: "form form-grid address-form",
    "aria-label": a ? t("editAddress") : t("addAddress"),
    onsubmit: async (e) => {
      e.preventDefault();
      const { isDefault = false, ...values } = formValues(form);
      // Left empty: nothing (a new address) or cleared (an edit).
      for (const name of ["company", "line2", "region", "postalCode", "phone"]) if (!values[name] && !a) values[name] = null;
      const payload = a
        ? await mutate(form, MEMBER.updateAddress, { input: { id: a.id, ...values } })
        : await mutate(form, MEMBER.createAddress, { input: { ...values, isDefault } });
      if (payload) reload({ panel: "addresses", text: t("addressSaved") });
    },
  },
  h("h3", { class: "form-title" }, a ? t("editAddress") : t("addAddress")),
  text("fullName", t("fullName"), { autocomplete: "name", required: true }, { wide: true }),
  text("company", t("company"), { autocomplete: "organization" }, { optional: true, wide: true }),
  text("line1", t("line1"), { autocomplete: "address-line1", required: true }, { wide: true }),
  text("line2", t("line2"), { autocomplete: "address-line2" }, { optional: true, wide: true }),
  text("postalCode", t("postalCode"), { autocomplete: "postal-code" }),
  text("city", t("city"), { autocomplete: "address-level2", required: true }),
  text("region", t("region"), { autocomplete: "address-level1" }, { optional: true }),
  field(t("country"), select("country", countries, v.country, { autocomplete: "country", required: true })),
  text("phone", t("phone"), { type: "tel", autocomplete: "tel" }, { optional: true, wide: true }),
  a ? null : h("label", { class: "check field-wide" }, h("input", { type: "checkbox", name: "isDefault" }), t("makeDefault")),
  formActions(submitButton(t("save")), h("button", { type: "button", class: "button button-secondary", onclick: onCancel }, t("cancel"))));
  return form;
}

function defaultCountry() {
  try {
    const region = new Intl.Locale(navigator.language || "en").maximize().region;
    if (COUNTRY_CODES.includes(region)) return region;
  } catch {
    /* no usable language tag */
  }
  return "US";
}

function pointsPanel(me) {
  const entries = me.pointsEntries.nodes;
  const signed = new Intl.NumberFormat(uiLocale, { signDisplay: "exceptZero" });
  return panel("points", t("recentPoints"), entries.length
    ? h("ul", { class: "rows" }, entries.map((e) =>
        h("li", { class: "row" },
          h("span", { class: "row-main" }, t(`kind.${e.kind}`), e.note ? h("span", { class: "row-note" }, e.note) : null),
          h("time", { class: "row-date", datetime: e.createdAt }, formatDate(e.createdAt)),
          h("span", { class: `row-amount ${e.amount < 0 ? "is-spent" : "is-earned"}` }, signed.format(e.amount)))))
    : h("p", { class: "muted" }, t("noPoints")));
}

function ordersPanel(me) {
  const orders = me.orders.nodes;
  return panel("orders", t("recentOrders"), orders.length
    ? h("ul", { class: "rows" }, orders.map((o) =>
        h("li", { class: "row" },
          h("span", { class: "row-main" }, h("a", { href: orderHref(o.number, parseHash().state) }, t("orderNumber", { number: o.number })),
            h("span", { class: "row-note" }, `${t(`status.${o.status}`)} · ${plural("items", o.itemCount)}`)),
          h("time", { class: "row-date", datetime: o.placedAt }, formatDate(o.placedAt)),
          h("span", { class: "row-amount" }, o.total.formatted))))
    : h("p", { class: "muted" }, t("noOrders")));
}

function rewardsPanel({ me, reload, flashFor }, rewards) {
  const section = panel("rewards", t("rewards"),
    flashFor("rewards"),
    rewards.length
      ? h("ul", { class: "rewards" }, rewards.map((r) => {
          const short = r.pointsCost - me.pointsBalance;
          return h("li", { class: "reward" },
            h("p", { class: "reward-name" }, r.name),
            r.description ? h("p", { class: "reward-text" }, r.description) : null,
            h("p", { class: "reward-cost" }, plural("points", r.pointsCost),
              r.stock !== null ? h("span", { class: "row-note" }, t("left", { n: r.stock.toLocaleString(uiLocale) })) : null),
            h("button", {
              type: "button",
              class: "button button-secondary",
              disabled: !r.available || short > 0,
              onclick: async () => {
                if (!confirm(t("confirmRedeem", { name: r.name, points: plural("points", r.pointsCost) }))) return;
                const payload = await mutate(section, MEMBER.redeemReward, { input: { rewardId: r.id } });
                const code = payload?.redemption?.coupon?.code;
                if (payload) reload({ panel: "rewards", text: code ? t("couponCode", { code }) : t("redeemed", { name: r.name }) });
              },
            }, t("redeem")),
            !r.available ? h("p", { class: "muted" }, t("unavailable"))
              : short > 0 ? h("p", { class: "muted" }, t("needMore", { points: plural("points", short) })) : null);
        }))
      : h("p", { class: "muted" }, t("noRewards")));
  return section;
}

// ---------------------------------------------------------------- currency

// The currency chosen in the header, kept in localStorage. Until one is chosen the API
// decides (the member's profile, else the shop's) and the select shows what it answered.
const CURRENCY_KEY = "tradewind.currency";
const CURRENCIES_QUERY = `
query Currencies {
  currencies { code name symbol isShopCurrency exchangeRate { rate rateDate stale } }
}`;
let currencies = []; // the currencies shoppers may pick that have a rate
let shownCurrency = null; // the currency the last prices came back in

function storedCurrency() {
  try {
    return localStorage.getItem(CURRENCY_KEY);
  } catch {
    return null;
  }
}

/** The currency to ask prices in; null leaves it to the API. */
const chosenCurrency = () => storedCurrency() || null;
const shopCurrency = () => currencies.find((c) => c.isShopCurrency)?.code || null;

async function loadCurrencies() {
  try {
    const data = await gql(CURRENCIES_QUERY, {}, uiLocale, { auth: false });
    currencies = data.currencies.filter((c) => c.exchangeRate);
    const stored = storedCurrency();
    // A currency the shop no longer offers would make every priced query fail.
    if (stored && !currencies.some((c) => c.code === stored)) localStorage.removeItem(CURRENCY_KEY);
  } catch {
    currencies = [];
  }
  renderCurrencySelect();
}

function renderCurrencySelect() {
  const select = $("currency-select");
  const value = chosenCurrency() || shownCurrency || shopCurrency();
  let names = null;
  try {
    names = new Intl.DisplayNames([uiLocale], { type: "currency" });
  } catch {
    /* codes alone */
  }
  select.replaceChildren(...currencies.map((c) =>
    h("option", { value: c.code, title: names?.of(c.code) || c.name, selected: c.code === value }, `${c.code} ${c.symbol !== c.code ? c.symbol : ""}`.trim())));
  select.value = value || "";
  $("currency-control").hidden = currencies.length < 2;
}

/** Notes the currency prices came back in, for the select when none is chosen. */
function pricesShownIn(code) {
  if (!code || code === shownCurrency) return;
  shownCurrency = code;
  if (!chosenCurrency()) renderCurrencySelect();
}

/** The notice shown over prices converted at an outdated rate. */
function staleRateNotice(rate) {
  if (!rate?.stale) return null;
  return h("p", { class: "notice notice-rate", role: "note" },
    rate.rateDate ? t("rateStale", { currency: rate.currency, date: formatDay(rate.rateDate) }) : t("rateStaleUndated", { currency: rate.currency }));
}

/** A date without a time (`2026-11-24`), shown as that day wherever the browser is. */
const formatDay = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
const formatDateTime = (iso) => new Intl.DateTimeFormat(uiLocale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

// ---------------------------------------------------------------- cart

// A guest's cart is found by the token the API answered when it made the cart; a member's
// cart belongs to the account and needs none.
const CART_KEY = "tradewind.cartToken";
const MONEY = "amount currency formatted";
const AMOUNTS = ["subtotal", "memberDiscount", "couponDiscount", "pointsDiscount", "discountTotal", "shipping", "total"]
  .map((name) => `${name} { ${MONEY} }`).join(" ");
const ORDER_ERRORS = "errors { field code message orderNumber }";
const QUOTE_FIELDS = `
  currency itemCount allInStock couponCode couponProblem { code message } pointsRedeemed
  rate { currency rate source rateDate }
  lines {
    productName quantity available inStock unitPrice { ${MONEY} } lineTotal { ${MONEY} }
    variant { id sku name product { slug featuredImage { url alt width height } } }
  }
  amounts { ${AMOUNTS} }
  shopAmounts { ${AMOUNTS} }`;
const CART_PAYLOAD = `cart { quote { ${QUOTE_FIELDS} } } ${ORDER_ERRORS}`;
const CART = {
  get: `query Cart($cartToken: String, $currency: CurrencyCode) {
    cart(cartToken: $cartToken, currency: $currency) { quote { ${QUOTE_FIELDS} } } }`,
  count: `query CartCount($cartToken: String, $currency: CurrencyCode) {
    cart(cartToken: $cartToken, currency: $currency) { quote { itemCount } } }`,
  add: `mutation AddToCart($input: CartLineInput!) { addToCart(input: $input) { cartToken cart { quote { itemCount } } ${ORDER_ERRORS} } }`,
  update: `mutation UpdateCartLine($input: CartLineInput!) { updateCartLine(input: $input) { ${CART_PAYLOAD} } }`,
  coupon: `mutation CartCoupon($input: CartCouponInput!) { applyCartCoupon(input: $input) { ${CART_PAYLOAD} } }`,
  merge: `mutation MergeCart($cartToken: String!) { mergeCart(cartToken: $cartToken) { cart { quote { itemCount } } ${ORDER_ERRORS} } }`,
};

function storedCartToken() {
  try {
    return localStorage.getItem(CART_KEY);
  } catch {
    return null;
  }
}

/** The token to send with cart calls: a guest's, never a member's. */
const cartToken = () => (signedIn() ? null : storedCartToken());
const keepCartToken = (token) => localStorage.setItem(CART_KEY, token);
const forgetCartToken = () => localStorage.removeItem(CART_KEY);

let cartCount = 0;

function setCartCount(n) {
  cartCount = n || 0;
  renderCartLink();
}

function renderCartLink() {
  const link = $("cart-link");
  link.setAttribute("href", pageHref("cart", parseHash().state));
  link.setAttribute("aria-label", cartCount ? `${t("cart")}: ${plural("items", cartCount)}` : t("cart"));
  const count = $("cart-count");
  count.textContent = cartCount ? cartCount.toLocaleString(uiLocale) : "";
  count.hidden = !cartCount;
}

/** The cart priced in the chosen currency; null when there is none. */
async function loadCart() {
  const token = cartToken();
  if (!signedIn() && !token) return null;
  const data = await gql(CART.get, { cartToken: token, currency: chosenCurrency() }, uiLocale);
  if (!data.cart && token) forgetCartToken(); // the cart has gone (placed or expired)
  return data.cart?.quote || null;
}

async function refreshCartBadge() {
  const token = cartToken();
  if (!signedIn() && !token) return setCartCount(0);
  try {
    const data = await gql(CART.count, { cartToken: token, currency: chosenCurrency() }, uiLocale);
    if (!data.cart && token) forgetCartToken();
    setCartCount(data.cart?.quote.itemCount || 0);
  } catch {
    /* the badge keeps its count */
  }
}

/** After signing in: the guest cart's lines move into the member's cart, and its token is done. */
async function mergeGuestCart() {
  const token = storedCartToken();
  if (token && signedIn()) {
    try {
      const { errors } = (await gql(CART.merge, { cartToken: token }, uiLocale)).mergeCart;
      // NOT_FOUND: nothing left to merge (placed, expired or merged in another tab).
      if (!errors.length || errors.some((e) => e.code === "NOT_FOUND")) forgetCartToken();
    } catch {
      /* kept, and merged after the next sign-in */
    }
  }
  await refreshCartBadge();
}

/**
 * Cart mutations price the cart in the member's profile currency before the one chosen here
 * (they take no currency argument); price it again when the answer came in another.
 */
async function inChosenCurrency(quote) {
  const wanted = chosenCurrency();
  if (!quote || !wanted || quote.currency === wanted) return quote;
  try {
    return (await loadCart()) || quote;
  } catch {
    return quote;
  }
}

const negative = (money) => `−${money.formatted}`;
const isZero = (money) => !money || Number(money.amount) === 0;

/** Rows of figures: subtotal, the discounts that apply, shipping (when asked) and the total. */
function totalsList(amounts, { shipping = false, totalLabel = t("total"), points = 0 } = {}) {
  const row = (label, value, extra = "") =>
    h("div", { class: `totals-row${extra}` }, h("dt", {}, label), h("dd", {}, value));
  return h("dl", { class: "totals" },
    row(t("subtotal"), amounts.subtotal.formatted),
    isZero(amounts.memberDiscount) ? null : row(t("memberDiscount"), negative(amounts.memberDiscount), " is-discount"),
    isZero(amounts.couponDiscount) ? null : row(t("couponDiscount"), negative(amounts.couponDiscount), " is-discount"),
    isZero(amounts.pointsDiscount) ? null
      : row(points ? t("pointsDiscountN", { points: plural("points", points) }) : t("pointsDiscount"), negative(amounts.pointsDiscount), " is-discount"),
    shipping ? row(t("shipping"), amounts.shipping.formatted) : null,
    row(totalLabel, amounts.total.formatted, " is-total"));
}

function lineThumb(line) {
  const img = line.variant.product?.featuredImage;
  return img
    ? h("img", { class: "line-thumb", src: img.url, alt: "", width: img.width, height: img.height, loading: "lazy" })
    : h("span", { class: "line-thumb no-image", "aria-hidden": "true" });
}

function lineName(line, state) {
  const slug = line.variant.product?.slug;
  return h("span", { class: "line-name" },
    slug ? h("a", { href: productHref(slug, state) }, line.productName) : line.productName,
    line.variant.name ? h("span", { class: "row-note" }, line.variant.name) : null);
}

async function showCart(view, state, current) {
  document.title = `${t("cart")} · Tradewind`;
  fill(view, loadingBlock());
  let quote;
  try {
    quote = await loadCart();
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showCart(view, state, current)));
    return;
  }
  if (current()) renderCart(view, state, quote);
}

function loadingBlock() {
  return h("div", { class: "page-loading", role: "status" },
    h("div", { class: "skeleton skeleton-title" }), h("div", { class: "skeleton skeleton-line wide" }),
    h("div", { class: "skeleton skeleton-line" }), h("span", { class: "visually-hidden" }, t("loading")));
}

/** The cart page; after a change it is drawn again from the answer, focus kept on `focus`. */
function renderCart(view, state, quote, focus = null) {
  setCartCount(quote?.itemCount || 0);
  if (quote) pricesShownIn(quote.currency);
  if (!quote || !quote.lines.length) {
    fill(view, h("div", { class: "cart" },
      h("h1", { class: "page-title", tabindex: "-1" }, t("cart")),
      h("div", { class: "empty" },
        h("p", { class: "empty-title" }, t("cartEmpty")),
        h("a", { class: "button", href: listHref(state) }, t("continueShopping")))));
    if (focus) view.querySelector("h1").focus();
    return;
  }
  const change = async (root, query, variables, nextFocus) => {
    const payload = await mutate(root, query, variables);
    if (payload?.cart) renderCart(view, state, await inChosenCurrency(payload.cart.quote), nextFocus);
  };
  const short = quote.lines.filter((line) => !line.inStock).length;
  fill(view, h("div", { class: "cart" },
    h("h1", { class: "page-title", tabindex: "-1" }, t("cart"), h("span", { class: "page-count" }, plural("items", quote.itemCount))),
    h("div", { class: "cart-grid" },
      h("section", { class: "cart-main", "aria-label": t("cartLines") },
        h("ul", { class: "cart-lines" }, quote.lines.map((line) => cartLine(line, state, change))),
        h("a", { class: "back-link", href: listHref(state) }, h("span", { "aria-hidden": "true" }, "← "), t("continueShopping"))),
      h("aside", { class: "summary panel", "aria-labelledby": "summary-title" },
        h("h2", { class: "panel-title", id: "summary-title" }, t("orderSummary")),
        couponForm(quote, change),
        totalsList(quote.amounts, { totalLabel: t("totalBeforeShipping") }),
        h("p", { class: "fine-print" }, t("shippingAtCheckout")),
        staleRateNotice({ ...quote.rate, stale: currencies.find((c) => c.code === quote.currency)?.exchangeRate?.stale }),
        short ? h("p", { class: "form-alert", role: "alert" }, t("fixLines")) : null,
        short
          ? h("button", { type: "button", class: "button button-wide", disabled: true }, t("checkout"))
          : h("a", { class: "button button-wide", href: pageHref("checkout", state) }, t("checkout"))))));
  const target = focus === "coupon" ? view.querySelector(".coupon-form input, .coupon-form button")
    : focus ? view.querySelector(`[data-variant="${CSS.escape(focus)}"] .qty-input`) || view.querySelector("h1")
      : null;
  target?.focus();
}

function cartLine(line, state, change) {
  const v = line.variant;
  const item = h("li", { class: `cart-line${line.inStock ? "" : " is-short"}`, dataset: { variant: v.id } });
  const set = (quantity) =>
    change(item, CART.update, { input: { cartToken: cartToken(), variantId: v.id, quantity } }, quantity > 0 ? v.id : "removed");
  const name = line.variant.name ? `${line.productName} (${line.variant.name})` : line.productName;
  const qty = h("input", {
    class: "input qty-input",
    type: "number",
    min: 0,
    max: Math.max(line.available, line.quantity),
    value: line.quantity,
    inputmode: "numeric",
    "aria-label": t("quantityOf", { name }),
    onchange: (e) => {
      const n = Math.max(0, Math.floor(Number(e.target.value)));
      if (Number.isFinite(n) && n !== line.quantity) set(n);
    },
  });
  const step = (delta, label, symbol, disabled = false) =>
    h("button", { type: "button", class: "step", "aria-label": label, disabled, onclick: () => set(line.quantity + delta) }, symbol);
  append(item, [
    lineThumb(line),
    h("div", { class: "cart-line-main" },
      lineName(line, state),
      h("span", { class: "row-note" }, `${t("sku")}: ${v.sku} · ${line.unitPrice.formatted}`),
      line.inStock ? null
        : h("p", { class: "line-warning" }, line.available > 0 ? t("onlyAvailable", { n: line.available.toLocaleString(uiLocale) }) : t("soldOutLine"))),
    h("div", { class: "cart-line-qty" },
      h("div", { class: "stepper" },
        step(-1, t("decrease", { name }), "−"),
        qty,
        step(1, t("increase", { name }), "+", line.quantity >= line.available)),
      h("button", { type: "button", class: "link-button is-danger", "aria-label": t("removeLine", { name }), onclick: () => set(0) }, t("delete"))),
    h("span", { class: "cart-line-total" }, line.lineTotal.formatted),
  ]);
  return item;
}

function couponForm(quote, change) {
  const form = h("form", { class: "coupon-form" });
  const apply = (code) => change(form, CART.coupon, { input: { cartToken: cartToken(), code } }, "coupon");
  form.onsubmit = (e) => {
    e.preventDefault();
    const { code } = formValues(form);
    if (code) apply(code);
  };
  if (quote.couponCode) {
    const problem = quote.couponProblem;
    fill(form,
      h("p", { class: `coupon-applied${problem ? " has-problem" : ""}` },
        h("span", {}, t(problem ? "couponNotApplied" : "couponApplied", { code: quote.couponCode })),
        h("button", { type: "button", class: "link-button", onclick: () => apply(null) }, t("removeCoupon"))),
      problem ? h("p", { class: "field-error", role: "alert" }, problem.message) : null);
  } else {
    fill(form,
      field(t("couponLabel"), input({ name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", required: true })),
      formActions(h("button", { type: "submit", class: "button button-secondary" }, t("apply"))));
  }
  return form;
}

// ---------------------------------------------------------------- checkout

// The checkout's form (so a reload or a change of currency keeps what was typed), and the
// idempotency key of an attempt to place the order that got no answer, in sessionStorage.
const CHECKOUT_KEY = "tradewind.checkout";
const ORDER_EMAILS_KEY = "tradewind.orderEmails"; // order number -> email, to look guest orders up
const PLACED_KEY = "tradewind.placedOrders"; // order number -> the order as placed (guests cannot read it back)
// order number -> the guest's order-access token `placeOrder` answered once: it reads the
// order and follows it live, so it is kept across visits (localStorage), like the cart token.
const ORDER_TOKENS_KEY = "tradewind.orderTokens";
const ADDRESS_NAMES = ["fullName", "company", "line1", "line2", "city", "region", "postalCode", "country", "phone"];
const CHECKOUT_ME = `query CheckoutMe { me { id email pointsBalance addresses { ${ADDRESS_FIELDS} } } }`;
const SHIPPING_CHOICE = `serviceId carrierName serviceName level minDays maxDays price { ${MONEY} }`;
const QUOTE_QUERY = `
query CheckoutQuote($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) { quote { ${QUOTE_FIELDS} shippingOptions { ${SHIPPING_CHOICE} } } ${ORDER_ERRORS} }
}`;
const ORDER_FIELDS = `
  id number status email placedAt paidAt shippedAt deliveredAt completedAt cancelledAt cancelReason
  subtotal { ${MONEY} } discountTotal { ${MONEY} } shippingTotal { ${MONEY} } total { ${MONEY} }
  totalInShopCurrency { ${MONEY} } exchangeRate rateSource rateDate
  shippingAddress { fullName company line1 line2 city region postalCode country phone }
  shippingMethod couponCode pointsRedeemed itemCount
  lines { id name variantName sku quantity quantityShipped unitPrice { ${MONEY} } lineTotal { ${MONEY} } }
  shipments { id carrierName trackingNumber trackingUrl shippedAt deliveredAt lines { orderLineId name quantity } }
  timeline { id kind fromStatus toStatus message createdAt }`;
const PLACE_ORDER = `mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { order { ${ORDER_FIELDS} } orderAccessToken ${ORDER_ERRORS} } }`;

function readSession(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key)) || {};
  } catch {
    return {};
  }
}

const writeSession = (key, value) => sessionStorage.setItem(key, JSON.stringify(value));
const checkoutDraft = () => readSession(CHECKOUT_KEY);
const saveDraft = (changes) => writeSession(CHECKOUT_KEY, { ...checkoutDraft(), ...changes });
const orderEmail = (number) => readSession(ORDER_EMAILS_KEY)[number] || "";
const rememberOrderEmail = (number, email) => writeSession(ORDER_EMAILS_KEY, { ...readSession(ORDER_EMAILS_KEY), [number]: email });
const placedOrder = (number) => readSession(PLACED_KEY)[number] || null;
const keepPlacedOrder = (order) => writeSession(PLACED_KEY, { ...readSession(PLACED_KEY), [order.number]: order });

function orderTokens() {
  try {
    return JSON.parse(localStorage.getItem(ORDER_TOKENS_KEY)) || {};
  } catch {
    return {};
  }
}

const orderToken = (number) => orderTokens()[number] || null;
const keepOrderToken = (number, token) => localStorage.setItem(ORDER_TOKENS_KEY, JSON.stringify({ ...orderTokens(), [number]: token }));
function forgetOrderToken(number) {
  const { [number]: _, ...rest } = orderTokens();
  localStorage.setItem(ORDER_TOKENS_KEY, JSON.stringify(rest));
}

/** "2–4 business days · by 28 Nov" */
function deliveryEstimate(minDays, maxDays) {
  const days = minDays === maxDays ? plural("businessDays", maxDays) : t("businessDaysRange", { min: minDays, max: maxDays });
  const by = new Date();
  for (let left = maxDays; left > 0;) {
    by.setDate(by.getDate() + 1);
    if (by.getDay() !== 0 && by.getDay() !== 6) left--;
  }
  return `${days} · ${t("arrivesBy", { date: new Intl.DateTimeFormat(uiLocale, { weekday: "short", day: "numeric", month: "short" }).format(by) })}`;
}

/** "1 USD = 156.5792 JPY · rate of 24 Nov 2026" */
function rateText(rate, shopCode) {
  if (!rate || rate.source === "shop" || rate.currency === shopCode) return "";
  const value = Number(rate.rate).toLocaleString(uiLocale, { maximumFractionDigits: 4 });
  const text = `1 ${shopCode} = ${value} ${rate.currency}`;
  return rate.rateDate ? t("rateOf", { rate: text, date: formatDay(rate.rateDate) }) : text;
}

async function showCheckout(view, state, current) {
  document.title = `${t("checkout")} · Tradewind`;
  fill(view, loadingBlock());
  let quote;
  let me = null;
  try {
    [quote, me] = await Promise.all([loadCart(), signedIn() ? gql(CHECKOUT_ME, {}, uiLocale).then((d) => d.me) : null]);
  } catch (err) {
    if (current()) fill(view, errorBox(err, () => showCheckout(view, state, current)));
    return;
  }
  if (!current()) return;
  if (!quote || !quote.lines.length) return navigate(pageHref("cart", state));
  renderCheckout(view, state, current, quote, me);
}

function renderCheckout(view, state, current, cartQuote, me) {
  const draft = checkoutDraft();
  const saved = me?.addresses.find((a) => a.isDefault) || me?.addresses[0];
  const address = { country: defaultCountry(), ...(saved || {}), ...(draft.address || {}) };
  let serviceId = draft.serviceId || null;
  let quote = null;
  let quoteSeq = 0;
  let timer = 0;

  const text = (name, label, attrs = {}, options = {}) =>
    field(label, input({ name, value: address[name] || "", ...attrs }), options);
  const countries = COUNTRY_CODES.map((code) => [code, countryName(code)]).sort((x, y) => x[1].localeCompare(y[1], uiLocale));
  const shippingBox = h("div", { class: "field ship-options", role: "radiogroup", "aria-labelledby": "panel-shipping" });
  const linesBox = h("ul", { class: "summary-lines" });
  const totalsBox = h("div", { class: "summary-totals", "aria-live": "polite" });
  const alertBox = h("div", { class: "summary-alerts" });
  const placeButton = h("button", { type: "submit", class: "button button-wide place-order" }, t("placeOrder"));
  const pointsInput = me
    ? input({ name: "points", type: "number", min: 0, max: me.pointsBalance, step: 1, value: draft.points || 0, inputmode: "numeric", disabled: me.pointsBalance <= 0 })
    : null;

  const form = h("form", { class: "checkout", novalidate: false },
    h("h1", { class: "page-title" }, t("checkout")),
    h("div", { class: "checkout-grid" },
      h("div", { class: "checkout-main" },
        panel("contact", t("contact"),
          me
            ? h("p", { class: "muted" }, t("orderingAs", { email: me.email || "" }))
            : [
                field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true, value: draft.email || "" }),
                  { hint: t("emailHint") }),
                h("p", { class: "muted" }, t("haveAccount"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn"))),
              ]),
        panel("address", t("shippingAddress"),
          h("div", { class: "form-grid" },
            text("fullName", t("fullName"), { autocomplete: "shipping name", required: true }, { wide: true }),
            text("company", t("company"), { autocomplete: "shipping organization" }, { optional: true, wide: true }),
            text("line1", t("line1"), { autocomplete: "shipping address-line1", required: true }, { wide: true }),
            text("line2", t("line2"), { autocomplete: "shipping address-line2" }, { optional: true, wide: true }),
            text("postalCode", t("postalCode"), { autocomplete: "shipping postal-code" }),
            text("city", t("city"), { autocomplete: "shipping address-level2", required: true }),
            text("region", t("region"), { autocomplete: "shipping address-level1" }, { optional: true }),
            field(t("country"), select("country", countries, address.country, { autocomplete: "shipping country", required: true })),
            text("phone", t("phone"), { type: "tel", autocomplete: "shipping tel" }, { optional: true, wide: true, hint: t("phoneForCarrier") }))),
        panel("shipping", t("shippingMethod"), shippingBox),
        me
          ? panel("points", t("pointsTitle"),
              field(t("pointsToRedeem"), pointsInput, { hint: t("pointsBalance", { points: plural("points", me.pointsBalance) }) }))
          : null),
      h("aside", { class: "summary panel", "aria-labelledby": "summary-title" },
        h("h2", { class: "panel-title", id: "summary-title" }, t("orderSummary")),
        linesBox, totalsBox, alertBox,
        h("div", { class: "form-actions" }, placeButton),
        h("p", { class: "fine-print" }, t("payByTransfer")))));

  const destination = () => {
    const v = formValues(form);
    return v.country ? { country: v.country, region: v.region || "", postalCode: v.postalCode || "" } : null;
  };
  const points = () => (pointsInput ? Math.max(0, Math.floor(Number(pointsInput.value) || 0)) : 0);
  const summaryAlert = (...children) => {
    const el = h("div", { class: "form-alert", role: "alert", tabindex: "-1" }, children);
    alertBox.append(el);
    return el;
  };

  function renderShipping() {
    const dest = destination();
    if (!quote || !dest?.country) {
      fill(shippingBox, h("p", { class: "muted" }, t("shippingNeedsAddress")));
      return;
    }
    const options = quote.shippingOptions;
    if (!options.length) {
      fill(shippingBox, h("p", { class: "muted" }, t("noShipping", { country: countryName(dest.country) })));
      return;
    }
    fill(shippingBox, h("p", { class: "muted" }, t("shippingTo", { place: [dest.postalCode, countryName(dest.country)].filter(Boolean).join(", ") })),
      options.map((o) =>
      h("label", { class: `ship-option${o.serviceId === serviceId ? " is-selected" : ""}` },
        h("input", {
          type: "radio",
          name: "shippingServiceId",
          value: o.serviceId,
          checked: o.serviceId === serviceId,
          required: true,
          onchange: () => {
            serviceId = o.serviceId;
            saveDraft({ serviceId });
            for (const el of shippingBox.querySelectorAll(".ship-option")) el.classList.toggle("is-selected", el.contains(form.querySelector("[name=shippingServiceId]:checked")));
            requote();
          },
        }),
        h("span", { class: "ship-name" }, h("span", {}, h("strong", {}, o.carrierName), ` · ${o.serviceName}`),
          h("span", { class: "row-note" }, deliveryEstimate(o.minDays, o.maxDays))),
        h("span", { class: "ship-price" }, o.price.formatted))));
  }

  function renderSummary() {
    const q = quote || cartQuote;
    fill(linesBox, q.lines.map((line) =>
      h("li", { class: `summary-line${line.inStock ? "" : " is-short"}` },
        lineThumb(line),
        h("span", { class: "line-name" }, line.productName,
          h("span", { class: "row-note" }, [line.variant.name, `× ${line.quantity.toLocaleString(uiLocale)}`].filter(Boolean).join(" ")),
          line.inStock ? null : h("span", { class: "line-warning" },
            line.available > 0 ? t("onlyAvailable", { n: line.available.toLocaleString(uiLocale) }) : t("soldOutLine"))),
        h("span", { class: "summary-line-total" }, line.lineTotal.formatted))));
    if (!quote) {
      fill(totalsBox, totalsList(cartQuote.amounts, { totalLabel: t("totalBeforeShipping") }));
      return;
    }
    const shopCode = quote.shopAmounts.total.currency;
    const shopTotal = quote.currency !== shopCode
      ? h("p", { class: "fine-print" }, t("shopTotal", { total: quote.shopAmounts.total.formatted }), h("br"), rateText(quote.rate, shopCode))
      : null;
    fill(totalsBox,
      totalsList(quote.amounts, { shipping: !!serviceId, points: quote.pointsRedeemed, totalLabel: serviceId ? t("total") : t("totalBeforeShipping") }),
      quote.couponCode && !quote.couponProblem ? h("p", { class: "fine-print" }, t("couponApplied", { code: quote.couponCode })) : null,
      quote.couponProblem
        ? h("p", { class: "field-error" }, t("couponNotApplied", { code: quote.couponCode || "" }), " ", quote.couponProblem.message)
        : null,
      shopTotal,
      staleRateNotice({ ...quote.rate, stale: currencies.find((c) => c.code === quote.currency)?.exchangeRate?.stale }));
    placeButton.disabled = !serviceId || !quote.allInStock;
  }

  /** Prices the cart for the address, shipping choice and points as they stand. */
  async function requote() {
    if (!current()) return;
    const seq = ++quoteSeq;
    clearErrors(shippingBox.closest(".panel"));
    if (pointsInput) clearErrors(pointsInput.closest(".panel"));
    form.setAttribute("aria-busy", "true");
    const quoteInput = {
      cartToken: cartToken(),
      currency: chosenCurrency(),
      destination: destination(),
      shippingServiceId: serviceId,
      points: points(),
    };
    let data;
    try {
      data = await gql(QUOTE_QUERY, { input: quoteInput }, uiLocale);
    } catch (err) {
      if (seq !== quoteSeq || !current()) return;
      form.removeAttribute("aria-busy");
      alertBox.replaceChildren();
      summaryAlert(h("p", {}, err.message), h("button", { type: "button", class: "link-button", onclick: requote }, t("retry")));
      placeButton.disabled = true;
      return;
    }
    if (seq !== quoteSeq || !current()) return;
    form.removeAttribute("aria-busy");
    const { quote: q, errors } = data.checkoutQuote;
    if (errors.some((e) => e.code === "SHIPPING_UNAVAILABLE") && serviceId) {
      // The service chosen does not go to the new address: choose again.
      serviceId = null;
      saveDraft({ serviceId });
      return requote();
    }
    if (errors.length) {
      const loose = errors.filter((e) => e.field?.[0] !== "points");
      if (pointsInput && loose.length < errors.length) showErrors(pointsInput.closest(".panel"), errors.filter((e) => !loose.includes(e)), { focus: false });
      alertBox.replaceChildren();
      if (loose.length) summaryAlert(loose.map((e) => h("p", {}, problemText(e))), currencyChoice(loose));
      placeButton.disabled = true;
      return;
    }
    quote = q;
    pricesShownIn(q.currency);
    setCartCount(q.itemCount);
    alertBox.replaceChildren();
    if (!q.lines.length) return navigate(pageHref("cart", state));
    if (serviceId && !q.shippingOptions.some((o) => o.serviceId === serviceId)) serviceId = null;
    renderShipping();
    renderSummary();
    if (!q.allInStock) summaryAlert(h("p", {}, t("fixLines")), h("a", { href: pageHref("cart", state) }, t("reviewCart")));
  }

  const requoteSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(requote, 400);
  };

  form.addEventListener("input", (e) => {
    const v = formValues(form);
    saveDraft({
      email: v.email || "",
      address: Object.fromEntries(ADDRESS_NAMES.map((name) => [name, v[name] || ""])),
      points: points(),
    });
    if (["postalCode", "region", "points"].includes(e.target.name)) requoteSoon();
  });
  form.addEventListener("change", (e) => {
    if (["country", "postalCode", "region", "points"].includes(e.target.name)) requoteSoon();
  });

  form.onsubmit = async (e) => {
    e.preventDefault();
    clearErrors(form);
    alertBox.replaceChildren();
    if (!serviceId || !quote) {
      showErrors(form, [{ field: ["shippingServiceId"], message: t("chooseShipping") }]);
      return;
    }
    const v = formValues(form);
    const shippingAddress = Object.fromEntries(ADDRESS_NAMES.map((name) => [name, v[name] || null]));
    // One key per attempt: a retry after an unanswered request sends the same one, so the
    // order cannot be placed twice; once the API has answered, the next attempt is a new one.
    const idempotencyKey = checkoutDraft().idempotencyKey || crypto.randomUUID();
    saveDraft({ idempotencyKey });
    const orderInput = {
      idempotencyKey,
      cartToken: cartToken(),
      email: me ? null : v.email,
      shippingAddress,
      shippingServiceId: serviceId,
      currency: chosenCurrency(),
      points: points(),
      expectedTotal: quote.amounts.total.amount,
    };
    const buttons = [...form.querySelectorAll("button:not(:disabled)")];
    for (const b of buttons) b.disabled = true;
    form.setAttribute("aria-busy", "true");
    placeButton.textContent = t("placing");
    let data;
    try {
      data = await gql(PLACE_ORDER, { input: orderInput }, uiLocale);
    } catch (err) {
      const answered = err instanceof GraphQLFailure && err.errors.length > 0;
      if (answered) saveDraft({ idempotencyKey: null });
      summaryAlert(h("p", {}, answered ? err.message : t("placeUnanswered")), h("p", { class: "row-note" }, answered ? "" : err.message)).focus();
      return;
    } finally {
      for (const b of buttons) b.disabled = false;
      form.removeAttribute("aria-busy");
      placeButton.textContent = t("placeOrder");
    }
    saveDraft({ idempotencyKey: null });
    const { order, errors, orderAccessToken } = data.placeOrder;
    if (order) return orderPlaced(order, state, orderAccessToken);
    // Another tab or click placed this cart already: show that order instead.
    const won = errors.find((e) => e.code === "CART_ALREADY_ORDERED" && e.orderNumber);
    if (won) return orderPlaced({ number: won.orderNumber, email: me ? me.email : v.email }, state, null, false);
    await placeProblems(errors);
  };

  /** The typed refusals of `placeOrder`: next to their fields, or in the summary with a way out. */
  async function placeProblems(errors) {
    const byCode = (...codes) => errors.filter((e) => codes.includes(e.code));
    const special = ["PRICE_CHANGED", "OUT_OF_STOCK", "COUPON_INVALID", "CURRENCY_NOT_ENABLED", "RATE_STALE", "RATE_UNAVAILABLE", "CART_EMPTY", "CART_CHANGED"];
    const rest = errors.filter((e) => !special.includes(e.code));
    if (byCode("CART_EMPTY").length) return navigate(pageHref("cart", state));
    if (errors.some((e) => special.includes(e.code))) {
      await requote();
      alertBox.replaceChildren(); // said again below, with the way out
    }
    let first = null;
    if (byCode("PRICE_CHANGED").length) {
      first = summaryAlert(h("p", {}, quote ? t("priceChanged", { total: quote.amounts.total.formatted }) : byCode("PRICE_CHANGED")[0].message));
    }
    // The cart changed (another tab) while the order was placed: the summary shows it now.
    const changed = byCode("CART_CHANGED");
    if (changed.length) first ||= summaryAlert(changed.map((e) => h("p", {}, e.message)));
    const stock = byCode("OUT_OF_STOCK");
    if (stock.length) {
      first ||= summaryAlert(stock.map((e) => h("p", {}, e.message)), h("a", { href: pageHref("cart", state) }, t("reviewCart")));
    }
    const coupon = byCode("COUPON_INVALID");
    if (coupon.length) {
      first ||= summaryAlert(coupon.map((e) => h("p", {}, e.message)),
        h("button", {
          type: "button",
          class: "link-button",
          onclick: async (e) => {
            if (await mutate(e.currentTarget.closest(".form-alert"), CART.coupon, { input: { cartToken: cartToken(), code: null } })) requote();
          },
        }, t("removeCoupon")));
    }
    const rate = byCode("CURRENCY_NOT_ENABLED", "RATE_STALE", "RATE_UNAVAILABLE");
    if (rate.length) first ||= summaryAlert(rate.map((e) => h("p", {}, problemText(e))), currencyChoice(rate));
    if (rest.length) showErrors(form, rest.map((e) => ({ ...e, field: e.field?.[0] === "lines" ? null : e.field })), { focus: !first });
    first?.focus();
  }

  /** A button to pay in the shop currency when the chosen one cannot be charged now. */
  function currencyChoice(errors) {
    const shop = shopCurrency();
    if (!shop || !errors.some((e) => e.field?.[0] === "currency") || chosenCurrency() === shop) return null;
    return h("button", {
      type: "button",
      class: "link-button",
      onclick: () => {
        localStorage.setItem(CURRENCY_KEY, shop);
        renderCurrencySelect();
        route();
      },
    }, t("payInCurrency", { currency: shop }));
  }

  fill(view, form);
  renderShipping();
  renderSummary();
  requote();
}

/** A payload error in words: the currency refusals explained, the rest as the API put them. */
function problemText(e) {
  if (e.code === "RATE_STALE") return t("rateStaleCheckout", { currency: chosenCurrency() || "" });
  if (e.code === "CURRENCY_NOT_ENABLED" || e.code === "RATE_UNAVAILABLE") return t("currencyUnavailable", { currency: chosenCurrency() || "" });
  return e.message;
}

function orderPlaced(order, state, accessToken = null, placedHere = true) {
  rememberOrderEmail(order.number, order.email);
  // A guest reads the order again with its access token; without one (placed in another
  // tab), by number and email, which tells where it is: keep the order as placed for this tab.
  if (accessToken) keepOrderToken(order.number, accessToken);
  else if (!signedIn() && placedHere) keepPlacedOrder(order);
  sessionStorage.removeItem(CHECKOUT_KEY);
  forgetCartToken();
  setCartCount(0);
  navigate(orderHref(order.number, state, placedHere));
}

// ---------------------------------------------------------------- order confirmation and tracking

const ORDER_QUERY = `query Order($number: String!, $accessToken: String) { order(number: $number, accessToken: $accessToken) { ${ORDER_FIELDS} } }`;
const LOOKUP_QUERY = `
query OrderLookup($number: String!, $email: String!) {
  orderLookup(number: $number, email: $email) {
    number status placedAt shipments { carrierName trackingNumber trackingUrl shippedAt deliveredAt }
  }
}`;
const ORDER_SUBSCRIPTION = `
subscription OrderStatus($number: String!, $accessToken: String) {
  orderStatusChanged(number: $number, accessToken: $accessToken) { kind number status previousStatus at }
}`;
const POLL_SECONDS = 60;
const STEPS = ["PENDING_PAYMENT", "PENDING_SHIPMENT", "SHIPPED", "DELIVERED"];

const orderHref = (number, state, placed = false) => {
  const p = new URLSearchParams();
  if (state.langExplicit) p.set("lang", state.lang);
  if (placed) p.set("placed", "1");
  const qs = p.toString();
  return `#/order/${encodeURIComponent(number)}${qs ? `?${qs}` : ""}`;
};

// The live updates of the order page shown, stopped whenever the page changes.
let orderWatch = null;

function stopOrderWatch() {
  orderWatch?.stop();
  orderWatch = null;
}

async function showOrder(view, state, current, number) {
  document.title = `${t("orderNumber", { number })} · Tradewind`;
  const placed = new URLSearchParams(location.hash.split("?")[1] || "").get("placed") === "1";
  fill(view, loadingBlock());
  const member = signedIn();
  if (!member && !orderEmail(number) && !orderToken(number)) return renderLookupForm(view, state, current, number);

  // A member reads their own order in full, and so does a guest holding the order's access
  // token; anyone else looks it up by number and email, which tells where it is and nothing more.
  const fetchOrder = async () => {
    const accessToken = orderToken(number);
    if (accessToken) {
      try {
        const order = (await gql(ORDER_QUERY, { number, accessToken }, uiLocale)).order;
        if (order) return { ...order, full: true, accessToken };
      } catch (err) {
        if (!(err instanceof GraphQLFailure && err.errors.some((e) => e.extensions?.code === "FORBIDDEN"))) throw err;
        forgetOrderToken(number); // expired or replaced: fall back to the lookup
      }
    }
    if (member) {
      const order = (await gql(ORDER_QUERY, { number }, uiLocale)).order;
      if (order) return { ...order, full: true };
    }
    const email = orderEmail(number);
    if (!email) return null;
    const tracking = (await gql(LOOKUP_QUERY, { number, email }, uiLocale)).orderLookup;
    const snapshot = placedOrder(number);
    return tracking ? { ...(snapshot || {}), ...tracking, full: false, snapshot: !!snapshot } : null;
  };

  let order;
  try {
    order = await fetchOrder();
  } catch (err) {
    if (!current()) return;
    if (rateLimited(err)) return renderLookupForm(view, state, current, number, [lookupProblem(err)]);
    fill(view, errorBox(err, () => showOrder(view, state, current, number)));
    return;
  }
  if (!current()) return;
  if (!order) {
    const tried = orderEmail(number);
    if (tried) rememberOrderEmail(number, "");
    return renderLookupForm(view, state, current, number, tried ? [{ field: ["email"], message: t("lookupNoMatch") }] : []);
  }

  const live = h("p", { class: "live-note", role: "status" });
  let lastStatus = order.status;
  // The payment step, kept across redraws; a guest proves the order is theirs with its email.
  const payment = order.status === "PENDING_PAYMENT"
    ? paymentPanel(number, { email: order.accessToken ? order.email : order.full ? null : orderEmail(number), total: order.total?.formatted, onPaid: () => afterPayment() })
    : null;
  const draw = () => {
    // A payment this page saw "processing" went through once the order moved on.
    if (payment?.dataset.state === "paid" && !["PENDING_PAYMENT", "CANCELLED"].includes(order.status)) payment.markPaid();
    const focused = document.activeElement && view.contains(document.activeElement) ? document.activeElement.id : null;
    fill(view, renderOrder(order, state, { placed, live, payment }));
    if (focused) $(focused)?.focus({ preventScroll: true });
  };
  draw();

  const refresh = async () => {
    try {
      const next = await fetchOrder();
      if (!current() || !next) return;
      order = next;
      draw();
      if (order.status !== lastStatus) {
        live.textContent = t("statusNow", { status: t(`status.${order.status}`) });
        lastStatus = order.status;
      }
    } catch (err) {
      if (rateLimited(err)) throw err;
    }
  };

  // The order turns PENDING_SHIPMENT once the provider's notification is processed, which
  // may come a moment after the payment's answer: look again a few times until it has.
  const afterPayment = async () => {
    for (const wait of [0, 1000, 2000, 4000, 8000]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (!current() || order.status !== "PENDING_PAYMENT") return;
      await refresh().catch(() => {});
    }
  };

  stopOrderWatch();
  if (order.full) {
    // Events over WebSocket; polling when the API will not stream this order to the viewer.
    const subscription = liveSubscription(ORDER_SUBSCRIPTION, { number, accessToken: order.accessToken || null }, {
      anonymous: !!order.accessToken,
      onData: () => refresh(),
      onState: (s) => {
        live.dataset.state = s;
        live.textContent = s === "live" ? t("liveOn") : t("liveReconnecting");
      },
      onRefused: () => {
        subscription.stop();
        if (orderWatch === subscription) orderWatch = poller(refresh, live);
      },
    });
    orderWatch = subscription;
  } else {
    orderWatch = poller(refresh, live);
  }
}

const rateLimited = (err) => err instanceof GraphQLFailure && err.errors.some((e) => e.extensions?.code === "RATE_LIMITED");

function lookupProblem(err) {
  const e = err.errors.find((x) => x.extensions?.code === "RATE_LIMITED");
  return { code: "RATE_LIMITED", retryAfter: e.extensions.retryAfter, message: e.message };
}

/** Runs `refresh` every POLL_SECONDS while the page is visible; a rate limit makes it wait. */
function poller(refresh, live) {
  let timer = 0;
  let stopped = false;
  const checked = () => {
    live.dataset.state = "polling";
    live.textContent = t("checkedAt", { time: new Intl.DateTimeFormat(uiLocale, { timeStyle: "short" }).format(new Date()) });
  };
  const tick = async () => {
    let wait = POLL_SECONDS;
    if (!document.hidden) {
      try {
        await refresh();
        checked();
      } catch (err) {
        if (rateLimited(err)) {
          wait = Math.max(POLL_SECONDS, Number(lookupProblem(err).retryAfter) || POLL_SECONDS);
          live.textContent = t("checksPaused", { time: new Intl.DateTimeFormat(uiLocale, { timeStyle: "short" }).format(Date.now() + wait * 1000) });
        }
      }
    }
    if (!stopped) timer = setTimeout(tick, wait * 1000);
  };
  checked();
  timer = setTimeout(tick, POLL_SECONDS * 1000);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function renderLookupForm(view, state, current, number, problems = []) {
  const form = h("form", {
    class: "form",
    onsubmit: (e) => {
      e.preventDefault();
      rememberOrderEmail(number, formValues(form).email);
      showOrder(view, state, current, number);
    },
  },
  h("p", { class: "form-intro" }, t("lookupIntro")),
  field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true, value: orderEmail(number) || checkoutDraft().email || "" })),
  formActions(submitButton(t("trackOrder"))));
  fill(view, authCard(t("orderNumber", { number }), form,
    signedIn() ? null : h("p", { class: "auth-alt" }, t("lookupSignIn"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn")))));
  if (problems.length) showErrors(form, problems);
}

// ---------------------------------------------------------------- paying an order

const PAYMENT_PAYLOAD = "payment { id status method amount { formatted } clientSecret publishableKey nextAction failureMessage } errors { field code message }";
const PAYMENT_METHODS_QUERY = `query PaymentMethods($number: String!, $email: String) { paymentMethods(orderNumber: $number, email: $email) }`;
const CREATE_PAYMENT = `mutation CreatePayment($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_PAYLOAD} } }`;
const PAY_WITH_TEST_CARD = `mutation PayWithTestCard($input: PayWithTestCardInput!) { payWithTestCard(input: $input) { ${PAYMENT_PAYLOAD} } }`;
const CONFIRM_TEST_PAYMENT = `mutation ConfirmTestPayment($input: ConfirmTestPaymentInput!) { confirmTestPayment(input: $input) { ${PAYMENT_PAYLOAD} } }`;
// The built-in test gateway's documented cards (README, "Payments, refunds and settlement").
const TEST_CARDS = [
  ["4242 4242 4242 4242", "testCard.succeeds"],
  ["4000 0000 0000 0002", "testCard.declines"],
  ["4000 0025 0000 3155", "testCard.confirm"],
];
const paymentMethodName = (m) => (`payMethod.${m}` in STRINGS.en ? t(`payMethod.${m}`) : m);

// Stripe requires Stripe.js to be loaded from its own address, never bundled or copied.
const STRIPE_JS = "https://js.stripe.com/v3/";
let stripeJs = null;

/** The `Stripe` constructor, loading Stripe.js on first use; a failed load may be retried. */
function loadStripe() {
  stripeJs ||= new Promise((resolve, reject) => {
    if (window.Stripe) return resolve(window.Stripe);
    const script = document.createElement("script");
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error(t("payStripeUnavailable"))));
    script.onerror = () => {
      script.remove();
      stripeJs = null;
      reject(new Error(t("payStripeUnavailable")));
    };
    document.head.append(script);
  });
  return stripeJs;
}

/** What Stripe said in the address it sent the shopper back to after a redirect (Alipay,
 * PayPal, ...), once: `succeeded`, `pending` or `failed`; null when the page was not such a
 * return. The parameters are taken out of the address so a reload does not read them again. */
function stripeReturn() {
  const url = new URL(location.href);
  const status = url.searchParams.get("redirect_status");
  if (!status) return null;
  for (const name of ["payment_intent", "payment_intent_client_secret", "redirect_status"]) url.searchParams.delete(name);
  history.replaceState(history.state, "", url);
  return status;
}

/**
 * The payment step of an unpaid order, kept across the page's redraws (one element, moved back
 * in each time). Lists the offered methods; `createPayment` tells which provider takes it: the
 * test gateway (`test_secret_…`) is paid here with a test card, Stripe (`pi_…`) in Stripe's
 * Payment Element. Guests prove the order is theirs with its email. `onPaid` refreshes
 * the order once the payment went through.
 */
function paymentPanel(number, { email = null, total = null, onPaid = () => {} } = {}) {
  const body = h("div", { class: "pay-body" });
  const el = panel("payment", t("payment"), body);
  el.classList.add("pay-panel");
  let methods = null;
  let method = null;
  let payment = null; // the current attempt
  let secret = null; // its client secret: only createPayment's answer carries it
  let declined = null; // why the last attempt failed

  let publishableKey = null; // the provider's public key, when its script completes the payment
  const amount = () => payment?.amount?.formatted || total;
  const usable = () => payment && payment.status === "REQUIRES_ACTION" && payment.nextAction?.type !== "confirm_test_payment";

  async function load() {
    fill(body, h("p", { class: "muted" }, t("loading")));
    try {
      methods = (await gql(PAYMENT_METHODS_QUERY, { number, email }, uiLocale)).paymentMethods;
    } catch (err) {
      fill(body, errorBox(err, load));
      return;
    }
    method = methods[0] || null;
    const returned = stripeReturn();
    if (returned === "succeeded" || returned === "pending") {
      payment = { status: "PROCESSING" };
      return done();
    }
    if (returned === "failed") declined = t("payDeclined");
    choose(declined);
  }

  function choose(why = null) {
    payment = null;
    secret = null;
    publishableKey = null;
    declined = why;
    if (!methods.length) {
      fill(body, h("p", { class: "notice" }, t("awaitingPayment", { number })));
      return;
    }
    const form = h("form", {
      class: "pay-form",
      onsubmit: async (e) => {
        e.preventDefault();
        method = formValues(form).method || method;
        if (await start(form)) next();
      },
    },
    h("fieldset", { class: "pay-methods" },
      h("legend", {}, t("payChoose")),
      methods.map((m) => h("label", { class: `ship-option pay-method${m === method ? " is-selected" : ""}` },
        h("input", {
          type: "radio",
          name: "method",
          value: m,
          checked: m === method,
          required: true,
          onchange: () => {
            method = m;
            for (const x of form.querySelectorAll(".pay-method")) x.classList.toggle("is-selected", x.contains(form.querySelector("[name=method]:checked")));
          },
        }),
        h("span", { class: "ship-name" }, h("strong", {}, paymentMethodName(m)))))),
    formActions(submitButton(t("payContinue"))));
    fill(body, form);
  }

  /** A new attempt with the chosen method; false (errors shown in `root`) when refused. */
  async function start(root) {
    const payload = await mutate(root, CREATE_PAYMENT, { input: { orderNumber: number, method, email, returnUrl: location.href } });
    if (!payload) return false;
    payment = payload.payment;
    secret = payment.clientSecret;
    publishableKey = payment.publishableKey;
    return true;
  }

  /** What the current attempt needs next. */
  function next() {
    if (payment.status === "SUCCEEDED" || payment.status === "PROCESSING") return done();
    if (payment.status === "FAILED" || payment.status === "CANCELED") {
      declined = payment.failureMessage || t("payDeclined");
      payment = null; // the next try is a new attempt
      return cardForm();
    }
    if (secret?.startsWith("pi_") && publishableKey) return stripeForm();
    if (payment.nextAction?.type === "confirm_test_payment") return confirmStep();
    if (secret?.startsWith("test_secret_")) return cardForm();
    fill(body, h("p", { class: "notice" }, t("payProvider")), otherMethod());
  }

  function otherMethod() {
    return methods.length > 1 ? h("p", {}, h("button", { type: "button", class: "link-button", onclick: () => choose() }, t("payOtherMethod"))) : null;
  }

  function cardForm() {
    const card = input({ name: "cardNumber", inputmode: "numeric", autocomplete: "off", spellcheck: "false", placeholder: "4242 4242 4242 4242", required: true });
    const hint = [t("testCardsHint"), h("ul", { class: "test-cards" }, TEST_CARDS.map(([n, key]) =>
      h("li", {},
        h("button", { type: "button", class: "link-button test-card", onclick: () => { card.value = n; card.focus(); } }, h("code", {}, n)),
        " ", t(key))))];
    const form = h("form", {
      class: "pay-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const { cardNumber } = formValues(form);
        if (!usable() && !(await start(form))) return;
        const payload = await mutate(form, PAY_WITH_TEST_CARD, { input: { paymentId: payment.id, cardNumber, clientSecret: secret } });
        if (!payload) return;
        payment = { ...payment, ...payload.payment, amount: payload.payment.amount || payment.amount };
        next();
      },
    },
    h("p", { class: "pay-method-name" }, paymentMethodName(method)),
    declined ? h("div", { class: "form-alert", role: "alert" }, h("p", {}, declined)) : null,
    field(t("cardNumber"), card, { hint }),
    formActions(submitButton(amount() ? t("payAmount", { amount: amount() }) : t("payNow"))),
    otherMethod());
    fill(body, form);
    if (declined) card.focus();
  }

  function confirmStep() {
    const root = h("div", { class: "pay-form" },
      h("p", {}, t("payConfirmText")),
      formActions(h("button", {
        type: "button",
        class: "button",
        onclick: async () => {
          const payload = await mutate(root, CONFIRM_TEST_PAYMENT, { input: { paymentId: payment.id, clientSecret: secret } });
          if (!payload) return;
          payment = { ...payment, ...payload.payment, amount: payload.payment.amount || payment.amount };
          next();
        },
      }, t("payConfirm"))));
    fill(body, root);
    root.querySelector("button").focus();
  }

  /** Stripe's Payment Element for the attempt's PaymentIntent: Stripe.js collects the
   * shopper's details (card data never reaches the shop) and confirms the payment, showing 3-D
   * Secure, a QR code or bank details itself, or sending the shopper to their wallet and back.
   * The order turns paid when Stripe's webhook reaches the shop. */
  async function stripeForm() {
    fill(body, h("p", { class: "muted" }, t("loading")));
    let Stripe;
    try {
      Stripe = await loadStripe();
    } catch (err) {
      fill(body, errorBox(err, stripeForm), otherMethod());
      return;
    }
    const stripe = Stripe(publishableKey, { locale: uiLocale });
    const elements = stripe.elements({ clientSecret: secret, locale: uiLocale });
    const mount = h("div", { class: "stripe-element" });
    const form = h("form", {
      class: "pay-form",
      onsubmit: async (e) => {
        e.preventDefault();
        clearErrors(form);
        const buttons = [...form.querySelectorAll("button:not(:disabled)")];
        for (const b of buttons) b.disabled = true;
        form.setAttribute("aria-busy", "true");
        try {
          const { error, paymentIntent } = await stripe.confirmPayment({
            elements,
            confirmParams: { return_url: location.href },
            redirect: "if_required",
          });
          if (error) {
            showErrors(form, [{ message: error.message || t("payDeclined") }]);
            return;
          }
          if (paymentIntent.status === "succeeded" || paymentIntent.status === "processing") {
            payment = { ...payment, status: "PROCESSING" }; // paid once the webhook says so
            return next();
          }
          // Bank details or a QR code were shown: the money comes later.
          fill(body, h("p", { class: "notice" }, t("payProvider")), otherMethod());
        } finally {
          for (const b of buttons) b.disabled = false;
          form.removeAttribute("aria-busy");
        }
      },
    },
    h("p", { class: "pay-method-name" }, paymentMethodName(method)),
    declined ? h("div", { class: "form-alert", role: "alert" }, h("p", {}, declined)) : null,
    mount,
    formActions(submitButton(amount() ? t("payAmount", { amount: amount() }) : t("payNow"))),
    otherMethod());
    fill(body, form);
    elements.create("payment").mount(mount);
  }

  function done() {
    el.dataset.state = "paid";
    const message = h("p", { class: "form-note", role: "status", tabindex: "-1" }, payment.status === "PROCESSING" ? t("payProcessing") : t("payDone"));
    fill(body, message);
    message.focus();
    onPaid();
  }

  /** The order's status says it is paid: say so, whatever this page last heard. */
  el.markPaid = () => {
    if (payment?.status === "SUCCEEDED") return;
    payment = { ...payment, status: "SUCCEEDED" };
    fill(body, h("p", { class: "form-note", role: "status" }, t("payDone")));
  };

  load();
  return el;
}

function renderOrder(order, state, { placed, live, payment = null }) {
  const cancelled = order.status === "CANCELLED";
  const reached = order.status === "COMPLETED" ? STEPS.length - 1 : STEPS.indexOf(order.status);
  const stepDates = [order.placedAt, order.paidAt, order.shippedAt || order.shipments?.[0]?.shippedAt, order.deliveredAt || order.shipments?.find((s) => s.deliveredAt)?.deliveredAt];
  return h("div", { class: "order" },
    placed ? h("div", { class: "order-thanks" },
      h("p", { class: "order-thanks-title" }, t("thanks")),
      h("p", {}, t("thanksText", { email: order.email || orderEmail(order.number) }))) : null,
    h("div", { class: "order-head" },
      h("h1", { class: "page-title" }, t("orderNumber", { number: order.number })),
      h("span", { class: `badge status-badge status-${order.status.toLowerCase().replace("_", "-")}` }, t(`status.${order.status}`)),
      h("p", { class: "muted order-placed" }, t("placedOn", { date: formatDateTime(order.placedAt) }))),
    live,
    cancelled
      ? h("p", { class: "form-alert" }, t("orderCancelled"), order.cancelReason ? ` ${order.cancelReason}` : "")
      : h("ol", { class: "steps", "aria-label": t("progress") }, STEPS.map((status, i) =>
          h("li", { class: `progress-step${i <= reached ? " is-done" : ""}`, "aria-current": i === reached ? "step" : null },
            h("span", { class: "step-dot", "aria-hidden": "true" }),
            h("span", { class: "step-label" }, t(`step.${status}`)),
            i <= reached && stepDates[i] ? h("time", { class: "row-note", datetime: stepDates[i] }, formatDate(stepDates[i])) : null))),
    payment && (order.status === "PENDING_PAYMENT" || payment.dataset.state === "paid") ? payment
      : order.status === "PENDING_PAYMENT" ? h("p", { class: "notice" }, t("awaitingPayment", { number: order.number })) : null,
    h("div", { class: "order-grid" },
      h("div", { class: "order-main" },
        panel("shipments", t("shipments"), order.shipments.length
          ? h("ul", { class: "rows" }, order.shipments.map((s) =>
              h("li", { class: "row shipment" },
                h("span", { class: "row-main" }, s.carrierName,
                  h("span", { class: "row-note" }, t("trackingNumber"), ": ",
                    s.trackingUrl
                      ? h("a", { href: s.trackingUrl, target: "_blank", rel: "noopener noreferrer" }, s.trackingNumber,
                          h("span", { class: "visually-hidden" }, ` (${t("opensNewTab")})`))
                      : s.trackingNumber),
                  s.lines?.length ? h("span", { class: "row-note" }, s.lines.map((l) => `${l.name} × ${l.quantity}`).join(", ")) : null),
                h("span", { class: "row-note" },
                  t("shippedOn", { date: formatDate(s.shippedAt) }),
                  s.deliveredAt ? h("br") : null,
                  s.deliveredAt ? t("deliveredOn", { date: formatDate(s.deliveredAt) }) : null))))
          : h("p", { class: "muted" }, t("noShipments"))),
        order.full ? panel("timeline", t("timeline"),
          h("ol", { class: "timeline" }, [...order.timeline].reverse().map((e) =>
            h("li", { class: "timeline-entry" },
              h("span", { class: "row-main" }, e.kind === "STATUS" && e.toStatus ? t(`status.${e.toStatus}`) : t(`event.${e.kind}`),
                e.message && (e.kind === "NOTE" || e.kind === "SHIPMENT") ? h("span", { class: "row-note" }, e.message) : null),
              h("time", { class: "row-date", datetime: e.createdAt }, formatDateTime(e.createdAt)))))) : null),
      h("div", { class: "order-side" },
        order.lines ? panel("order-lines", t("orderSummary"),
          order.snapshot ? h("p", { class: "fine-print" }, t("asPlaced")) : null,
          h("ul", { class: "summary-lines" }, order.lines.map((l) =>
            h("li", { class: "summary-line" },
              h("span", { class: "line-name" }, l.name,
                h("span", { class: "row-note" }, [l.variantName, `× ${l.quantity.toLocaleString(uiLocale)}`].filter(Boolean).join(" "))),
              h("span", { class: "summary-line-total" }, l.lineTotal.formatted)))),
          h("dl", { class: "totals" },
            totalsRow(t("subtotal"), order.subtotal.formatted),
            isZero(order.discountTotal) ? null : totalsRow(t("discounts"), negative(order.discountTotal), " is-discount"),
            totalsRow(t("shipping"), order.shippingTotal.formatted),
            totalsRow(t("total"), order.total.formatted, " is-total")),
          order.total.currency !== order.totalInShopCurrency.currency
            ? h("p", { class: "fine-print" }, t("shopTotal", { total: order.totalInShopCurrency.formatted }), h("br"),
                rateText({ currency: order.total.currency, rate: order.exchangeRate, source: order.rateSource, rateDate: order.rateDate }, order.totalInShopCurrency.currency))
            : null) : null,
        order.shippingAddress ? panel("ship-to", t("shipTo"),
          h("address", { class: "order-address" },
            [order.shippingAddress.fullName, order.shippingAddress.company, order.shippingAddress.line1, order.shippingAddress.line2,
              [order.shippingAddress.postalCode, order.shippingAddress.city].filter(Boolean).join(" "), order.shippingAddress.region,
              order.shippingAddress.country ? countryName(order.shippingAddress.country) : ""]
              .filter(Boolean).map((line) => h("span", {}, line))),
          order.shippingMethod ? h("p", { class: "muted" }, order.shippingMethod) : null) : null,
        !order.full ? h("p", { class: "fine-print" }, t("guestTracking")) : null)),
    h("a", { class: "back-link", href: listHref(state) }, h("span", { "aria-hidden": "true" }, "← "), t("continueShopping")));
}

const totalsRow = (label, value, extra = "") =>
  h("div", { class: `totals-row${extra}` }, h("dt", {}, label), h("dd", {}, value));

// ---------------------------------------------------------------- live updates (graphql-transport-ws)

const WS_URL = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${ENDPOINT}`;
const SUBSCRIPTION_ID = "1";

/**
 * One subscription over the `graphql-transport-ws` protocol, kept alive. The access token goes
 * in `connection_init` (browsers cannot set headers on a WebSocket). The server ends the stream
 * when that token expires: the client then reconnects with a fresh token, and after any
 * dropped connection with backoff. `onData` gets each event's data, and null after a
 * reconnection (events may have been missed meanwhile); `onRefused` is called when the API
 * will not stream to this viewer, and nothing is retried then.
 */
function liveSubscription(query, variables, { onData, onState = () => {}, onRefused = () => {}, anonymous = false }) {
  let socket = null;
  let stopped = false;
  let failures = 0;
  let timer = 0;
  let connectedBefore = false;
  let freshToken = false; // the next connection must not use the token in hand

  async function connect() {
    timer = 0;
    if (stopped) return;
    // `anonymous`: the operation carries its own proof (a guest's order-access token).
    if (!anonymous) {
      if (freshToken || !accessTokenFresh()) await refreshSession();
      freshToken = false;
      if (stopped) return;
      if (!session.accessToken) return onRefused();
    }
    const ws = new WebSocket(WS_URL, "graphql-transport-ws");
    // The API answers in text frames; binary ones are read too, as other servers send them.
    ws.binaryType = "arraybuffer";
    const opened = Date.now();
    socket = ws;
    const send = (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message));
    // The server must acknowledge in time; otherwise start over.
    const ackTimer = setTimeout(() => ws.close(4408, "Connection acknowledgement timeout"), 10_000);
    ws.onopen = () => send({ type: "connection_init", payload: anonymous ? {} : { authorization: `Bearer ${session.accessToken}` } });
    ws.onmessage = (e) => {
      let message;
      try {
        message = JSON.parse(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data));
      } catch {
        return ws.close(4400, "Invalid message");
      }
      switch (message.type) {
        case "connection_ack":
          clearTimeout(ackTimer);
          send({ id: SUBSCRIPTION_ID, type: "subscribe", payload: { query, variables } });
          onState("live");
          if (connectedBefore) onData(null);
          connectedBefore = true;
          break;
        case "ping":
          send({ type: "pong" });
          break;
        case "next":
          if (message.id !== SUBSCRIPTION_ID) break;
          failures = 0;
          onData(message.payload?.data || null);
          break;
        case "error": {
          if (message.id !== SUBSCRIPTION_ID) break;
          const errors = Array.isArray(message.payload) ? message.payload : [];
          if (errors.some((x) => ["UNAUTHENTICATED", "TOKEN_EXPIRED"].includes(x.extensions?.code))) {
            freshToken = true;
            ws.close(1000, "Normal Closure");
          } else {
            stop();
            onRefused(errors);
          }
          break;
        }
        case "complete":
          // The stream ended: the token it was opened with expired, or its time ran out.
          if (message.id !== SUBSCRIPTION_ID) break;
          freshToken = true;
          if (Date.now() - opened > 60_000) failures = 0;
          ws.close(1000, "Normal Closure");
          break;
        default:
          break;
      }
    };
    ws.onclose = (e) => {
      clearTimeout(ackTimer);
      if (socket === ws) socket = null;
      if (stopped) return;
      if (e.code === 4401 || e.code === 4403) freshToken = true;
      onState("reconnecting");
      const delay = Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
      failures++;
      timer = setTimeout(connect, delay);
    };
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ id: SUBSCRIPTION_ID, type: "complete" }));
      socket.close(1000, "Normal Closure");
    } else socket?.close();
    socket = null;
  }

  connect();
  return { stop };
}

// ---------------------------------------------------------------- router

const VIEWS = ["list-view", "detail-view", "page-view"];
const PAGES = {
  "sign-in": showSignIn,
  register: showRegister,
  "forgot-password": showForgotPassword,
  account: showAccount,
  cart: showCart,
  checkout: showCheckout,
};
let pageSeq = 0;

function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
}

function showPage(render, state) {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
  showView("page-view");
  document.body.classList.remove("filters-open");
  window.scrollTo(0, 0);
  const seq = ++pageSeq;
  render($("page-view"), state, () => seq === pageSeq);
}

function route() {
  const { route: r, slug, state } = parseHash();
  const localeChanged = uiLocale !== state.lang;
  applyChrome(state);
  if (localeChanged && list) list.key = null; // names and prices are per locale
  pageSeq++;
  stopOrderWatch();
  if (r === "product") showProduct(slug, state);
  else {
    detailSeq++;
    if (r === "order") showPage((view, s, current) => showOrder(view, s, current, slug), state);
    else if (r in PAGES) showPage(PAGES[r], state);
    else showList(state);
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("scroll", () => {
  if (list && !$("list-view").hidden) list.scrollY = window.scrollY;
}, { passive: true });

setupHeader();
Promise.all([completeOAuth(), loadCurrencies()]).finally(() => {
  route();
  // A guest cart left over from a sign-in whose merge did not get through is merged now.
  if (signedIn() && storedCartToken()) mergeGuestCart();
  else refreshCartBadge();
});
