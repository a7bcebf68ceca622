"""The Scrapy project: one generic spider, platform profiles, a storing pipeline."""
