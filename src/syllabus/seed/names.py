"""Word lists the demo-data generator draws from. Plain ASCII, so emails and slugs stay simple."""

from __future__ import annotations

FIRST_NAMES = (
    "Ada", "Alan", "Amara", "Ana", "Andrea", "Arjun", "Beatriz", "Ben", "Bianca", "Carlos",
    "Chen", "Chloe", "Dana", "David", "Diego", "Elena", "Emeka", "Emma", "Farah", "Felix",
    "Fatima", "Grace", "Hana", "Hugo", "Ines", "Isaac", "Ivan", "Jade", "Jamal", "Julia",
    "Kai", "Kenji", "Lara", "Leo", "Lina", "Lucas", "Maya", "Mei", "Mohamed", "Nadia",
    "Nia", "Noah", "Olga", "Omar", "Priya", "Rafael", "Rosa", "Sami", "Sara", "Sofia",
    "Tariq", "Theo", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe", "Marta",
)  # fmt: skip

LAST_NAMES = (
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Brooks", "Castillo", "Chen",
    "Costa", "Dubois", "Eriksen", "Fischer", "Fontaine", "Garcia", "Gupta", "Hall", "Hansen",
    "Ibrahim", "Ito", "Jensen", "Kaur", "Khan", "Kim", "Kowalski", "Larsen", "Lopez", "Martin",
    "Meyer", "Mendes", "Moreau", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel",
    "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Sato", "Tanaka",
    "Thompson", "Torres", "Usman", "Vargas", "Walker", "Weber", "Xu", "Yamamoto", "Young",
    "Zhang", "Ziegler", "Murphy", "Hughes", "Reyes",
)  # fmt: skip

COMPANIES = (
    "Acme Learning", "Brightpath", "Cobalt Labs", "Driftwood Studio", "Evergreen Health",
    "Fieldstone Bank", "Granite Logistics", "Harbor Analytics", "Ironbark Foods", "Juniper Media",
    "Keystone Retail", "Lumen Energy", "Maple & Co", "Northwind Traders", "Orchid Software",
)  # fmt: skip

COUNTRIES = (
    "Canada", "United States", "Mexico", "Brazil", "Argentina", "United Kingdom", "Ireland",
    "France", "Germany", "Spain", "Portugal", "Italy", "Netherlands", "Sweden", "Poland",
    "Nigeria", "Kenya", "South Africa", "Egypt", "India", "Japan", "South Korea", "Vietnam",
    "Australia", "New Zealand",
)  # fmt: skip

COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")

JOB_TITLES = (
    "Analyst", "Designer", "Engineer", "Consultant", "Teacher", "Nurse", "Product Manager",
    "Marketing Lead", "Student", "Founder", "Accountant", "Data Scientist", "Support Agent",
)  # fmt: skip

INSTRUCTOR_TITLES = (
    "Lead Instructor",
    "Senior Trainer",
    "Course Author",
    "Subject Expert",
    "Program Director",
)

COURSE_PREFIXES = (
    "Introduction to", "Mastering", "Practical", "The Complete Guide to", "Advanced",
    "Fundamentals of", "Hands-on", "Modern",
)  # fmt: skip

COURSE_TOPICS = (
    "Watercolor Painting", "Python Programming", "Data Visualization", "Public Speaking",
    "Project Management", "Digital Photography", "Personal Finance", "UX Research",
    "Machine Learning", "Copywriting", "Bookkeeping", "Mindful Leadership", "Spanish Conversation",
    "Home Gardening", "Video Editing", "SQL for Analysts", "Negotiation", "Music Theory",
    "Nutrition Basics", "Web Accessibility", "Email Marketing", "Customer Success",
    "Cloud Security", "Excel Modelling", "Product Design", "Yoga for Beginners", "Sourdough Baking",
    "Creative Writing", "Time Management", "Interior Design",
)  # fmt: skip

SUBTITLES = (
    "Learn at your own pace", "From first steps to confident practice",
    "Short lessons, real projects", "Everything you need, nothing you don't",
    "A practical course for busy people",
)  # fmt: skip

DURATIONS = ("45 minutes", "2 hours", "3.5 hours", "6 hours", "4 weeks", "8 weeks")

CHAPTER_NAMES = (
    "Getting Started", "Core Concepts", "Tools of the Trade", "Your First Project",
    "Going Deeper", "Common Pitfalls", "Case Studies", "Practice Lab", "Putting It Together",
    "Next Steps",
)  # fmt: skip

CONTENT_NAMES = {
    "Lesson": ("Welcome", "Key Ideas", "Walkthrough", "Worked Example", "Recap", "Deep Dive"),
    "Quiz": ("Check Your Understanding", "Chapter Quiz", "Knowledge Check"),
    "Survey": ("Course Feedback", "Quick Pulse Survey"),
    "Download": ("Workbook", "Cheat Sheet", "Templates Pack"),
    "Pdf": ("Reading: Reference Guide", "Reading: Field Notes"),
    "Audio": ("Podcast Episode", "Guided Audio"),
    "Presentation": ("Slide Deck", "Narrated Slides"),
    "LiveLesson": ("Live Q&A", "Office Hours"),
    "Iframe": ("Interactive Demo", "Embedded Exercise"),
    "Assignment": ("Assignment: Build It", "Assignment: Reflection"),
    "HtmlItem": ("Resources", "Glossary"),
    "Disqus": ("Discussion",),
    "BrilliumExam": ("Final Exam",),
}

# How often each content type appears; Lesson dominates, as in real courses.
CONTENT_WEIGHTS = {
    "Lesson": 40,
    "Quiz": 12,
    "Download": 8,
    "Pdf": 6,
    "Audio": 6,
    "Presentation": 6,
    "Survey": 5,
    "Assignment": 5,
    "HtmlItem": 4,
    "Iframe": 3,
    "LiveLesson": 3,
    "Disqus": 1,
    "BrilliumExam": 1,
}

PRICES = ("0", "19.00", "29.00", "49.00", "99.00", "149.00", "199.99")

GROUP_NAMES = ("Acme Corp Team", "Spring Cohort", "Partner Network", "Scholarship Program")
