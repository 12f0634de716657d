//! Page handlers, one file per group of pages.

pub mod admin;
pub mod apps_proxy;
pub mod auth_pages;
pub mod blog;
pub mod cas;
pub mod dashboard;
pub mod files;
pub mod forum;
pub mod homework;
pub mod idp;
pub mod library;
pub mod mail;
pub mod public;
pub mod school;
